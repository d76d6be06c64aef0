//! The DTOs that cross the IPC boundary (serde + specta, camelCase for the TS side).

use aura_core::RelPath;
use serde::{Deserialize, Serialize};
use specta::Type;

/// How much of a file a read-only view may load: enough to browse a big log, small
/// enough that opening a 1 GB file does not take the editor down with it.
pub const READ_ONLY_CAP: u64 = 8 * 1024 * 1024;

/// The default editing limit: Monaco stays responsive well below this.
pub const DEFAULT_MAX_EDIT_BYTES: u64 = 20 * 1024 * 1024;

/// What [`crate::ProjectRoot::list_dir`] includes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ListOptions {
    /// Include dot files (`.git` stays hidden regardless).
    pub show_hidden: bool,
    /// Include entries matched by ignore files (they are flagged `ignored`).
    pub show_ignored: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum EntryKind {
    File,
    Dir,
    /// Sockets, fifos, devices, and symlinks that dangle or lead out of the project.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DirEntry {
    pub name: String,
    pub path: RelPath,
    /// For a symlink: the kind of what it points to (inside the project), else `Other`.
    pub kind: EntryKind,
    pub size: u64,
    pub ignored: bool,
    pub hidden: bool,
    pub symlink: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReadOptions {
    /// Files above this size are refused for editing (decided from metadata alone).
    pub max_edit_bytes: u64,
    /// Open for viewing only: allowed over the limit, loads at most [`READ_ONLY_CAP`].
    pub read_only: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_edit_bytes: DEFAULT_MAX_EDIT_BYTES,
            read_only: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TextFile {
    pub text: String,
    pub encoding: Encoding,
    pub line_ending: LineEnding,
    /// Hash of the bytes that were read. For a truncated view it is the hash of the
    /// prefix, so it can never match the disk and a write based on it is a `Conflict`.
    pub version: FileVersion,
    /// Size on disk in bytes.
    pub size: u64,
    pub read_only: bool,
    pub truncated: bool,
}

/// Encodings Aura edits. UTF-16 is recognized only by its BOM: guessing it from content
/// misfires on binary files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum LineEnding {
    Lf,
    Crlf,
    Mixed,
    /// No line break at all.
    None,
}

/// Content hash (blake3, hex) of a file's bytes: what optimistic concurrency compares.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct FileVersion(String);

impl FileVersion {
    pub fn of(bytes: &[u8]) -> Self {
        Self(blake3::hash(bytes).to_hex().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Rebuilds a version received over IPC; no validation, a wrong one just never matches.
    pub fn from_string(s: String) -> Self {
        Self(s)
    }
}

impl std::fmt::Display for FileVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "mode", content = "version")]
pub enum WriteMode {
    /// Refuse with `AlreadyExists` if the file is there.
    CreateNew,
    /// Write only if the disk still holds this version (else `Conflict`).
    IfVersion(FileVersion),
    /// Write whatever is there.
    Overwrite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Stat {
    pub kind: EntryKind,
    pub size: u64,
    /// Milliseconds since the Unix epoch (0 if the OS does not say).
    pub modified_ms: u64,
    pub readonly: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WalkOptions {
    pub show_hidden: bool,
    pub include_ignored: bool,
    /// Stop after this many files (the result is then an arbitrary subset, sorted).
    pub max_files: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FsEvent {
    pub path: RelPath,
    pub kind: FsEventKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type")]
pub enum FsEventKind {
    Created,
    Modified,
    Removed,
    Renamed {
        from: RelPath,
    },
    /// Too much changed under `path` (a folder, possibly the root): re-list it.
    Rescan,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipc_shapes() {
        let v = FileVersion::of(b"x");
        assert_eq!(
            serde_json::to_value(&v).unwrap(),
            serde_json::json!(v.as_str())
        );
        let m = serde_json::to_value(WriteMode::IfVersion(v.clone())).unwrap();
        assert_eq!(
            m,
            serde_json::json!({"mode": "IfVersion", "version": v.as_str()})
        );
        assert_eq!(
            serde_json::to_value(WriteMode::Overwrite).unwrap(),
            serde_json::json!({"mode": "Overwrite"})
        );
        let from = RelPath::new("a.txt").unwrap();
        let ev = FsEvent {
            path: RelPath::new("b.txt").unwrap(),
            kind: FsEventKind::Renamed { from },
        };
        assert_eq!(
            serde_json::to_value(&ev).unwrap(),
            serde_json::json!({"path": "b.txt", "kind": {"type": "Renamed", "from": "a.txt"}})
        );
        let o: ReadOptions =
            serde_json::from_str(r#"{"maxEditBytes": 5, "readOnly": true}"#).unwrap();
        assert_eq!(
            o,
            ReadOptions {
                max_edit_bytes: 5,
                read_only: true
            }
        );
    }
}
