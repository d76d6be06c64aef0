//! Importing zip/tar/tar.gz archives as new projects, safely, and exporting a project as
//! a zip that respects its ignore rules.
//!
//! An archive is hostile input: entry names may climb out (`../`), be absolute, carry
//! drive letters or backslashes; links may point anywhere; sizes in headers may lie. The
//! importer validates every name, counts bytes and entries while streaming, and writes
//! only into a hidden staging folder that is renamed into place at the very end.

mod export;
mod extract;
mod import;

use serde::{Deserialize, Serialize};
use specta::Type;

pub use export::export_zip;
pub use import::import_archive;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveLimits {
    /// Total bytes of file contents once expanded.
    pub max_total_bytes: u64,
    /// Number of entries of any kind.
    pub max_entries: u64,
    /// Expanded / compressed, for one zip entry and for the archive as a whole.
    pub max_ratio: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        Self {
            max_total_bytes: 2 * 1024 * 1024 * 1024,
            max_entries: 200_000,
            max_ratio: 200,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub files: u64,
    pub dirs: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportReport {
    pub files: u64,
    pub bytes: u64,
}
