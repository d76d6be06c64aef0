//! aura-index: code intelligence over a project's files, all local.
//!
//! - A live full-text index per project ([`ProjectIndex`]): tantivy, with a code-aware
//!   tokenizer ([`tokenizer`]) and a trigram field ([`trigram`]) that narrows substring and
//!   regex searches to the files that can match. Built on a background thread with one
//!   writer and bounded memory, resumable (only changed files are read again after a
//!   restart), kept current from file events, rebuilt when its folder is damaged or from
//!   an older format.
//! - Project search ([`ProjectIndex::search`]): candidates from the index, verified on the
//!   files with ripgrep's own libraries, so results equal `rg`'s for the same options;
//!   streamed per file. Replace-all with preview, conflict checks and undo ([`replace`]).
//! - Quick-open ([`fuzzy::PathList`]): nucleo ranking over every path, kept in memory.
//!
//! ```no_run
//! # fn main() -> aura_core::Result<()> {
//! use std::sync::atomic::AtomicBool;
//! use aura_index::{IndexOptions, ProjectIndex, SearchQuery};
//! let root = aura_fs::ProjectRoot::open("/some/project".as_ref())?;
//! let index = ProjectIndex::open(root, IndexOptions::new("/tmp/aura-index".into()))?;
//! index.wait_ready(std::time::Duration::from_secs(60));
//! let q = SearchQuery { pattern: "fn main".into(), case_sensitive: true, ..Default::default() };
//! let summary = index.search(&q, &AtomicBool::new(false), &mut |file| {
//!     tracing::info!(path = %file.path, lines = file.lines.len(), "found");
//! })?;
//! # let _ = summary; Ok(()) }
//! ```

pub mod chunk;
pub mod dto;
pub mod fuzzy;
mod grep;
pub mod prefilter;
mod project;
pub mod replace;
mod search;
pub mod semantic;
mod textindex;
pub mod tokenizer;
pub mod trigram;
mod worker;

pub use dto::*;
pub use project::{
    DEFAULT_MAX_FILE_BYTES, DEFAULT_MEMORY_BUDGET, IndexOptions, ProgressFn, ProjectIndex,
};
pub use search::PathFilter;
pub use textindex::FORMAT_VERSION;
