//! The values that cross the IPC boundary (serde + specta, camelCase for the TS side).
//!
//! Columns: Monaco counts columns in UTF-16 code units from 1, so [`MatchRange::start`] and
//! [`MatchRange::end`] are exactly that (end exclusive), ready for `new monaco.Range(line,
//! start, line, end)`. The byte offsets within the line are there too, for tools that think
//! in bytes (the CLI prints ripgrep's 1-based byte column).

use serde::{Deserialize, Serialize};
use specta::Type;

/// What the Search panel (or `aura search`) asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchQuery {
    pub pattern: String,
    /// `pattern` is a regular expression (Rust `regex` syntax) instead of literal text.
    pub regex: bool,
    pub case_sensitive: bool,
    /// Matches must have a non-word character (or the line's edge) on both sides, like
    /// `rg -w`.
    pub whole_word: bool,
    /// Only files matching one of these globs (`src/**`, `*.rs`); none means all files.
    pub include: Vec<String>,
    /// Files matching any of these globs are left out.
    pub exclude: Vec<String>,
    /// Stop after this many matching lines (default [`DEFAULT_MAX_RESULTS`]).
    pub max_results: Option<u32>,
    /// Lines of context before and after each match (default 0).
    pub context_lines: Option<u32>,
}

/// The cap on matching lines when the query sets none: more than anyone reads, few enough
/// that a search for `e` cannot flood the window.
pub const DEFAULT_MAX_RESULTS: u32 = 20_000;

/// One matched span in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MatchRange {
    /// 1-based UTF-16 column of the first matched character (Monaco's `startColumn`).
    pub start: u32,
    /// 1-based UTF-16 column just after the match (Monaco's `endColumn`).
    pub end: u32,
    /// 0-based byte offset of the match in the line's UTF-8 text.
    pub start_byte: u32,
    pub end_byte: u32,
}

/// A line of a result: a match (with its ranges) or a context line around one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchLine {
    /// 1-based line number.
    pub line: u32,
    /// The line without its line break (invalid UTF-8 replaced by U+FFFD).
    pub text: String,
    pub context: bool,
    /// Empty for context lines.
    pub ranges: Vec<MatchRange>,
}

/// All results in one file, in line order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileMatches {
    pub path: String,
    pub lines: Vec<SearchLine>,
}

impl FileMatches {
    /// Matching lines (context lines excluded).
    pub fn match_lines(&self) -> impl Iterator<Item = &SearchLine> {
        self.lines.iter().filter(|l| !l.context)
    }
}

/// Results as they are found, a few files at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchBatch {
    pub files: Vec<FileMatches>,
}

/// How a search ended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchSummary {
    /// Files with at least one match.
    pub files: u32,
    /// Matching lines.
    pub lines: u32,
    /// Matched spans.
    pub matches: u32,
    /// Files read to verify candidates.
    pub files_searched: u32,
    /// The index narrowed the candidates (false: every file was scanned).
    pub used_index: bool,
    /// `max_results` was reached; there may be more.
    pub truncated: bool,
    pub cancelled: bool,
    pub elapsed_ms: f64,
}

/// A path ranked for quick-open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PathMatch {
    pub path: String,
    /// Higher is better; only comparable within one query.
    pub score: u32,
    /// UTF-16 offsets into `path` of the matched characters (for highlighting), ascending.
    pub indices: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum IndexState {
    /// Opening the index folder and listing the project's files.
    Starting,
    /// Reading and indexing files (first build, or catching up after a restart).
    Indexing,
    /// Up to date; kept current from file events.
    Ready,
    /// Paused by the user; searches scan files instead of using the index.
    Paused,
    /// Stopped by the user before it finished; searches scan files.
    Cancelled,
    /// The index could not be built (see `message`); searches scan files.
    Failed,
}

/// Where a project's text index stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct IndexStatus {
    pub state: IndexState,
    pub files_done: u32,
    pub files_total: u32,
    /// Estimated time left while indexing.
    pub eta_ms: Option<u32>,
    pub message: Option<String>,
}

impl IndexStatus {
    pub(crate) fn starting() -> Self {
        Self {
            state: IndexState::Starting,
            files_done: 0,
            files_total: 0,
            eta_ms: None,
            message: None,
        }
    }
}

/// One match with its replacement, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceMatch {
    pub line: u32,
    pub range: MatchRange,
    /// The matched text and what replaces it (capture groups expanded).
    pub matched: String,
    pub replacement: String,
}

/// The replacements in one file, and the version they were computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceFilePreview {
    pub path: String,
    /// The file's version when previewed; applying checks the disk still holds it.
    pub version: String,
    pub matches: Vec<ReplaceMatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReplacePreview {
    pub files: Vec<ReplaceFilePreview>,
    /// Files that matched but cannot be edited as text (too large, odd encoding).
    pub skipped: Vec<FileProblem>,
}

/// A file to apply replacements to, at the version the user saw in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileTarget {
    pub path: String,
    pub version: String,
}

/// A file left untouched, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileProblem {
    pub path: String,
    pub error: aura_core::Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceResult {
    /// Hand back to `search_replace_undo` to restore the changed files.
    pub undo_id: String,
    /// Files changed (path, new version).
    pub changed: Vec<FileTarget>,
    pub replacements: u32,
    /// Files not changed: they changed on disk since the preview (`Conflict`) or failed.
    pub failed: Vec<FileProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UndoResult {
    pub restored: Vec<String>,
    /// Files edited since the replace are left as they are (`Conflict`).
    pub failed: Vec<FileProblem>,
}
