//! aura-fs: how Aura touches a project's files.
//!
//! Everything goes through a [`ProjectRoot`]: paths come in as [`aura_core::RelPath`] and
//! are resolved with symlinks followed, so nothing outside the project is read or written
//! (`OutsideProject`). On top of that:
//!
//! - text files are read with encoding detection (UTF-8 with/without BOM, UTF-16 with BOM)
//!   and refused early when binary or too large ([`ProjectRoot::read_text`]);
//! - saves are atomic and optionally conditional on the version the editor loaded
//!   ([`ProjectRoot::write_text`], [`WriteMode::IfVersion`]);
//! - the explorer lists one folder at a time, honoring `.gitignore`/`.ignore`
//!   ([`ProjectRoot::list_dir`]), and [`ProjectRoot::walk_files`] lists all files;
//! - [`ProjectRoot::watch`] reports debounced, bounded batches of [`FsEvent`]s without
//!   echoing our own saves;
//! - [`archive`] imports zip/tar archives safely and exports projects as zip.
//!
//! All errors are [`aura_core::Error`] with the matching [`aura_core::ErrorCode`].

pub mod archive;
mod atomic;
mod confine;
mod echo;
mod ignores;
mod listing;
mod ops;
mod root;
mod text;
mod types;
mod watch;

pub use archive::{ArchiveLimits, ExportReport, ImportReport, export_zip, import_archive};
pub use echo::EchoFilter;
pub use listing::natural_cmp;
pub use root::ProjectRoot;
pub use types::*;
pub use watch::Watcher;
