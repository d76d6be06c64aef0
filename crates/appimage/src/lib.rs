//! aura-appimage: Aura's AppImage, built and started without the tools AppImage packagers
//! usually download.
//!
//! An AppImage is one executable file: an ELF program (the runtime) followed by a SquashFS
//! image of the app's folder (the AppDir), marked as type 2 by `AI\x02` in the ELF header's
//! padding. The usual runtime mounts the image with FUSE; ours extracts it once into the
//! user's cache and execs `AppRun` from there, so the user's machine needs neither FUSE nor
//! any tool. The packer writes the image in Rust from an AppDir. Packaging only: nothing
//! else in Aura depends on this crate.

pub mod cache;
pub mod elf;
pub mod image;
pub mod pack;

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("{0} is not an AppImage: {1}")]
    NotAppImage(PathBuf, String),
    #[error("the image inside {0} cannot be read: {1}")]
    Squashfs(PathBuf, String),
    #[error("the image names a path outside its folder: {0}")]
    UnsafePath(PathBuf),
    #[error("{0} already exists; move it away first")]
    Exists(PathBuf),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Wraps an I/O error with what was being done.
pub(crate) fn io(context: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Io {
        context: context.to_string(),
        source,
    }
}
