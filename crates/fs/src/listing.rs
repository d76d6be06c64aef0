//! Listing one folder for the explorer, and walking all files for quick-open, language
//! detection and export. Both honor ignore files; `.git` never shows up.

use std::cmp::Ordering;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex};

use aura_core::{Error, RelPath, Result};
use ignore::WalkState;

use crate::atomic::is_temp_name;
use crate::ignores::IgnoreRules;
use crate::root::kind_of;
use crate::{DirEntry, EntryKind, ListOptions, ProjectRoot, WalkOptions};

impl ProjectRoot {
    /// Lists one folder: folders first, then files, each in case-insensitive natural order.
    pub fn list_dir(&self, rel: &RelPath, opts: &ListOptions) -> Result<Vec<DirEntry>> {
        let dir = self.resolve(rel)?;
        let rules = IgnoreRules::new(&self.root).for_folder(rel);
        // Rules match on the logical path; a folder reached through an inside symlink still
        // follows the ignore files of where the user sees it.
        let logical = rel.to_path(&self.root);
        let read = std::fs::read_dir(&dir).map_err(|e| Error::from_io(&e, rel))?;
        let mut out = Vec::new();
        for entry in read {
            let entry = entry.map_err(|e| Error::from_io(&e, rel))?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                tracing::debug!(dir = %rel, "skipping a name that is not UTF-8");
                continue;
            };
            // Our own temp files (left by a crash mid-save) are never project content.
            if name == ".git" || is_temp_name(&name) {
                continue;
            }
            let hidden = name.starts_with('.');
            if hidden && !opts.show_hidden {
                continue;
            }
            let path = rel.join(&name)?;
            let ft = entry.file_type().map_err(|e| Error::from_io(&e, &path))?;
            let symlink = ft.is_symlink();
            let (kind, size) = if symlink {
                self.link_kind(&path)
            } else {
                let meta = entry.metadata().map_err(|e| Error::from_io(&e, &path))?;
                (kind_of(&meta), if meta.is_file() { meta.len() } else { 0 })
            };
            let ignored = rules.is_ignored(&logical.join(&name), kind == EntryKind::Dir);
            if ignored && !opts.show_ignored {
                continue;
            }
            out.push(DirEntry {
                name,
                path,
                kind,
                size,
                ignored,
                hidden,
                symlink,
            });
        }
        out.sort_by(|a, b| {
            let rank = |e: &DirEntry| u8::from(e.kind != EntryKind::Dir);
            rank(a)
                .cmp(&rank(b))
                .then_with(|| natural_cmp(&a.name, &b.name))
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(out)
    }

    /// What a symlink inside the project points to; `Other` if it dangles or leads out.
    fn link_kind(&self, path: &RelPath) -> (EntryKind, u64) {
        match self
            .resolve(path)
            .and_then(|p| std::fs::metadata(p).map_err(|e| Error::from_io(&e, path)))
        {
            Ok(m) => (kind_of(&m), if m.is_file() { m.len() } else { 0 }),
            Err(_) => (EntryKind::Other, 0),
        }
    }

    /// All files under the root (ignore-aware, parallel), sorted. Symlinked files are
    /// included when they resolve inside the project; symlinked folders are not entered.
    pub fn walk_files(&self, opts: &WalkOptions) -> Result<Vec<RelPath>> {
        let mut b = ignore::WalkBuilder::new(&self.root);
        let respect = !opts.include_ignored;
        b.hidden(!opts.show_hidden)
            .git_ignore(respect)
            .git_exclude(respect)
            .ignore(respect)
            .git_global(false)
            .parents(false)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| e.file_name() != ".git");
        let found = Arc::new(Mutex::new(Vec::new()));
        let count = Arc::new(AtomicUsize::new(0));
        let max = opts.max_files.unwrap_or(usize::MAX);
        b.build_parallel().run(|| {
            let count = Arc::clone(&count);
            let this = self.clone();
            let mut sink = Collector {
                local: Vec::new(),
                found: Arc::clone(&found),
            };
            Box::new(move |res| {
                let Ok(entry) = res else {
                    return WalkState::Continue;
                };
                let Some(ft) = entry.file_type() else {
                    return WalkState::Continue;
                };
                if ft.is_dir() {
                    return WalkState::Continue;
                }
                let Ok(rel) = this.relativize(entry.path()) else {
                    return WalkState::Continue;
                };
                if ft.is_symlink() && !this.resolve(&rel).map(|p| p.is_file()).unwrap_or(false) {
                    return WalkState::Continue;
                }
                if (!ft.is_file() && !ft.is_symlink()) || is_temp_name(rel.file_name()) {
                    return WalkState::Continue;
                }
                if count.fetch_add(1, AtomicOrdering::Relaxed) >= max {
                    return WalkState::Quit;
                }
                sink.push(rel);
                WalkState::Continue
            })
        });
        let mut files = std::mem::take(&mut *found.lock().unwrap_or_else(|p| p.into_inner()));
        files.sort();
        Ok(files)
    }
}

/// Per-thread buffer; flushing in chunks keeps lock traffic low on 100k-file trees, and
/// the rest is flushed when the walker drops its visitors at the end of the walk.
struct Collector {
    local: Vec<RelPath>,
    found: Arc<Mutex<Vec<RelPath>>>,
}

impl Collector {
    fn push(&mut self, rel: RelPath) {
        self.local.push(rel);
        if self.local.len() >= 256 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.found
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .append(&mut self.local);
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Case-insensitive natural order: `file2` before `file10`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let n = take_number(&mut x);
                let m = take_number(&mut y);
                let ord = n
                    .trim_start_matches('0')
                    .len()
                    .cmp(&m.trim_start_matches('0').len());
                let ord =
                    ord.then_with(|| n.trim_start_matches('0').cmp(m.trim_start_matches('0')));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (Some(c), Some(d)) => {
                let ord = c.to_lowercase().cmp(d.to_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                x.next();
                y.next();
            }
        }
    }
}

fn take_number(it: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut s = String::new();
    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
        s.push(c);
        it.next();
    }
    s
}
