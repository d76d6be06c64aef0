//! Replace-all: a preview per match, then per-file atomic writes that refuse a file changed
//! since the preview (`Conflict`), and an undo that puts the old contents back under the
//! same rule. Matches are found line by line with the search's own matcher, so what is
//! replaced is exactly what the search showed.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use aura_core::{Error, ErrorCode, RelPath, Result};
use aura_fs::{Encoding, FileVersion, FsEvent, FsEventKind, ReadOptions, TextFile, WriteMode};
use grep_matcher::{Captures, Matcher};
use grep_regex::RegexMatcher;

use crate::dto::{
    FileProblem, FileTarget, ReplaceFilePreview, ReplaceMatch, ReplacePreview, ReplaceResult,
    SearchQuery, UndoResult,
};
use crate::grep::{self, Utf16Cols};
use crate::project::{ProjectIndex, lock};

/// Undo records kept per project (oldest dropped first).
const UNDO_KEEP: usize = 20;

/// What one replace-all changed, to put back.
#[derive(Debug, Clone)]
struct UndoFile {
    path: RelPath,
    old_text: String,
    encoding: Encoding,
    new_version: FileVersion,
}

/// Undo records of one project.
#[derive(Debug, Default)]
pub(crate) struct UndoLog {
    next: AtomicU64,
    records: Mutex<VecDeque<(String, Vec<UndoFile>)>>,
}

/// One match in a line and its replacement text.
struct Edit {
    start: usize,
    end: usize,
    with: String,
}

/// The edits for one line (without its `\n`), as the search sees its matches.
fn line_edits(m: &RegexMatcher, line: &str, replacement: &str, regex: bool) -> Vec<Edit> {
    let bytes = line.as_bytes();
    let mut edits = Vec::new();
    let Ok(mut caps) = m.new_captures() else {
        return edits;
    };
    let _ = m.captures_iter(bytes, &mut caps, |caps| {
        let Some(whole) = caps.get(0) else {
            return true;
        };
        let with = if regex {
            let mut dst = Vec::new();
            caps.interpolate(
                |name| m.capture_index(name),
                bytes,
                replacement.as_bytes(),
                &mut dst,
            );
            String::from_utf8_lossy(&dst).into_owned()
        } else {
            replacement.to_owned()
        };
        edits.push(Edit {
            start: whole.start(),
            end: whole.end(),
            with,
        });
        true
    });
    if edits
        .last()
        .is_some_and(|e| e.start == e.end && e.start >= bytes.len())
    {
        edits.pop();
    }
    edits
}

/// Applies the edits of every line; returns the new text and how many were made.
fn replace_text(
    m: &RegexMatcher,
    text: &str,
    replacement: &str,
    regex: bool,
    mut each: impl FnMut(u32, &str, &Edit),
) -> (String, u32) {
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let (line, nl) = match raw.strip_suffix('\n') {
            Some(l) => (l, "\n"),
            None => (raw, ""),
        };
        let edits = line_edits(m, line, replacement, regex);
        let mut at = 0;
        for e in &edits {
            each(u32::try_from(i + 1).unwrap_or(u32::MAX), line, e);
            out.push_str(&line[at..e.start]);
            out.push_str(&e.with);
            at = e.end;
            count += 1;
        }
        out.push_str(&line[at..]);
        out.push_str(nl);
    }
    (out, count)
}

impl ProjectIndex {
    fn undo_log(&self) -> &UndoLog {
        &self.shared.undo
    }

    fn read_for_edit(&self, path: &str) -> Result<(RelPath, TextFile)> {
        let rel = RelPath::new(path)?;
        let file = self.shared.root.read_text(&rel, &ReadOptions::default())?;
        Ok((rel, file))
    }

    /// Every match of `q` with its replacement, per file, with the version it is based on.
    pub fn replace_preview(
        &self,
        q: &SearchQuery,
        replacement: &str,
        cancel: &AtomicBool,
    ) -> Result<ReplacePreview> {
        let m = grep::matcher(q)?;
        let mut paths = Vec::new();
        let mut q = q.clone();
        q.context_lines = None;
        self.search(&q, cancel, &mut |f| paths.push(f.path))?;
        paths.sort();
        let mut preview = ReplacePreview {
            files: Vec::new(),
            skipped: Vec::new(),
        };
        for path in paths {
            let (_, file) = match self.read_for_edit(&path) {
                Ok(f) => f,
                Err(error) => {
                    preview.skipped.push(FileProblem { path, error });
                    continue;
                }
            };
            let mut matches = Vec::new();
            replace_text(&m, &file.text, replacement, q.regex, |line, text, e| {
                let mut cols = Utf16Cols::new(text.as_bytes());
                matches.push(ReplaceMatch {
                    line,
                    range: crate::dto::MatchRange {
                        start: cols.col(e.start),
                        end: cols.col(e.end),
                        start_byte: u32::try_from(e.start).unwrap_or(u32::MAX),
                        end_byte: u32::try_from(e.end).unwrap_or(u32::MAX),
                    },
                    matched: text[e.start..e.end].to_owned(),
                    replacement: e.with.clone(),
                });
            });
            if !matches.is_empty() {
                preview.files.push(ReplaceFilePreview {
                    path,
                    version: file.version.to_string(),
                    matches,
                });
            }
        }
        Ok(preview)
    }

    /// Replaces every match in `targets`, each only if it still has the previewed version.
    pub fn replace_apply(
        &self,
        q: &SearchQuery,
        replacement: &str,
        targets: &[FileTarget],
    ) -> Result<ReplaceResult> {
        let m = grep::matcher(q)?;
        let mut result = ReplaceResult {
            undo_id: String::new(),
            changed: Vec::new(),
            replacements: 0,
            failed: Vec::new(),
        };
        let mut undo = Vec::new();
        for t in targets {
            match self.apply_one(&m, q, replacement, t) {
                Ok((file, count)) => {
                    result.replacements += count;
                    result.changed.push(FileTarget {
                        path: t.path.clone(),
                        version: file.new_version.to_string(),
                    });
                    undo.push(file);
                }
                Err(error) => result.failed.push(FileProblem {
                    path: t.path.clone(),
                    error,
                }),
            }
        }
        self.notify_written(undo.iter().map(|u| u.path.clone()));
        result.undo_id = self.undo_log().push(undo);
        Ok(result)
    }

    fn apply_one(
        &self,
        m: &RegexMatcher,
        q: &SearchQuery,
        replacement: &str,
        t: &FileTarget,
    ) -> Result<(UndoFile, u32)> {
        let (rel, file) = self.read_for_edit(&t.path)?;
        if file.version.as_str() != t.version {
            return Err(conflict(&t.path));
        }
        let (text, count) = replace_text(m, &file.text, replacement, q.regex, |_, _, _| {});
        let expected = FileVersion::from_string(t.version.clone());
        let new_version = self.shared.root.write_text(
            &rel,
            &text,
            file.encoding,
            WriteMode::IfVersion(expected),
        )?;
        Ok((
            UndoFile {
                path: rel,
                old_text: file.text,
                encoding: file.encoding,
                new_version,
            },
            count,
        ))
    }

    /// Puts back what a replace-all changed; files edited since are left alone.
    pub fn replace_undo(&self, undo_id: &str) -> Result<UndoResult> {
        let files = self.undo_log().take(undo_id).ok_or_else(|| {
            Error::not_found(format!("nothing to undo for {undo_id:?} (already undone?)"))
        })?;
        let mut result = UndoResult {
            restored: Vec::new(),
            failed: Vec::new(),
        };
        for f in &files {
            let mode = WriteMode::IfVersion(f.new_version.clone());
            match self
                .shared
                .root
                .write_text(&f.path, &f.old_text, f.encoding, mode)
            {
                Ok(_) => result.restored.push(f.path.to_string()),
                Err(error) => result.failed.push(FileProblem {
                    path: f.path.to_string(),
                    error,
                }),
            }
        }
        self.notify_written(files.into_iter().map(|f| f.path));
        Ok(result)
    }

    /// Our own saves are not echoed by the watcher, so the index hears of them here.
    fn notify_written(&self, paths: impl Iterator<Item = RelPath>) {
        let events: Vec<FsEvent> = paths
            .map(|path| FsEvent {
                path,
                kind: FsEventKind::Modified,
            })
            .collect();
        if !events.is_empty() {
            self.apply_events(events);
        }
    }
}

fn conflict(path: &str) -> Error {
    Error::new(
        ErrorCode::Conflict,
        format!("{path} changed on disk since the preview; search again"),
    )
}

impl UndoLog {
    fn push(&self, files: Vec<UndoFile>) -> String {
        let id = format!("replace-{}", self.next.fetch_add(1, Ordering::Relaxed) + 1);
        let mut records = lock(&self.records);
        records.push_back((id.clone(), files));
        while records.len() > UNDO_KEEP {
            records.pop_front();
        }
        id
    }

    fn take(&self, id: &str) -> Option<Vec<UndoFile>> {
        let mut records = lock(&self.records);
        let at = records.iter().position(|(i, _)| i == id)?;
        records.remove(at).map(|(_, f)| f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, regex: bool) -> RegexMatcher {
        grep::matcher(&SearchQuery {
            pattern: pattern.into(),
            regex,
            case_sensitive: true,
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn captures_expand_per_line_and_line_breaks_stay() {
        let text = "let a = foo(1);\r\nfoo(22) + foo(3)\nnone";
        let mut seen = Vec::new();
        let (out, n) = replace_text(
            &m(r"foo\((\d+)\)", true),
            text,
            "bar[$1]",
            true,
            |l, _, e| {
                seen.push((l, e.with.clone()));
            },
        );
        assert_eq!(out, "let a = bar[1];\r\nbar[22] + bar[3]\nnone");
        assert_eq!(n, 3);
        assert_eq!(seen[1], (2, "bar[22]".to_owned()));
    }

    #[test]
    fn literal_mode_keeps_dollars() {
        let (out, _) = replace_text(&m("a.b", false), "a.b axb", "$1", false, |_, _, _| {});
        assert_eq!(out, "$1 axb");
    }
}
