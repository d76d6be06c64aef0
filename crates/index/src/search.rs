//! Project search: candidates from the index's trigrams (or every file when the query
//! cannot be narrowed or the index is not ready), filtered by globs, then verified on the
//! files in parallel. Each file's results go to the caller as soon as they are known.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aura_core::{Error, RelPath, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::dto::{DEFAULT_MAX_RESULTS, FileMatches, IndexState, SearchQuery, SearchSummary};
use crate::grep;
use crate::prefilter::{self, Req};
use crate::project::{ProjectIndex, lock};

/// Include/exclude globs the way editors read them: `*.rs` anywhere, `src` for a folder.
#[derive(Debug)]
pub struct PathFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl PathFilter {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self> {
        Ok(Self {
            include: globs(include)?,
            exclude: globs(exclude)?,
        })
    }

    pub fn allows(&self, path: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(path))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }
}

fn globs(patterns: &[String]) -> Result<Option<GlobSet>> {
    let patterns: Vec<&str> = patterns
        .iter()
        .map(|p| p.trim().trim_start_matches("./"))
        .filter(|p| !p.is_empty())
        .collect();
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_end_matches('/');
        let mut forms = vec![p.to_owned(), format!("{p}/**")];
        if !p.starts_with("**/") && !p.starts_with('/') {
            forms.push(format!("**/{p}"));
            forms.push(format!("**/{p}/**"));
        }
        for f in forms {
            let glob = Glob::new(f.trim_start_matches('/'))
                .map_err(|e| Error::invalid(format!("invalid glob {p:?}: {e}")))?;
            b.add(glob);
        }
    }
    b.build()
        .map(Some)
        .map_err(|e| Error::invalid(format!("invalid globs: {e}")))
}

impl ProjectIndex {
    /// Runs `q`, handing each file's results to `on_file` as found (from worker threads,
    /// one call at a time). Stops early when `cancel` is set or `max_results` lines matched.
    pub fn search(
        &self,
        q: &SearchQuery,
        cancel: &AtomicBool,
        on_file: &mut (dyn FnMut(FileMatches) + Send),
    ) -> Result<SearchSummary> {
        let started = Instant::now();
        let matcher = grep::matcher(q)?;
        let filter = PathFilter::new(&q.include, &q.exclude)?;
        let req = if q.regex {
            prefilter::for_regex(&q.pattern)
        } else {
            prefilter::for_literal(&q.pattern)
        };
        let (candidates, used_index) = self.candidates(&req)?;

        let files: Vec<String> = candidates
            .into_iter()
            .filter(|p| filter.allows(p))
            .collect();
        let max = q.max_results.unwrap_or(DEFAULT_MAX_RESULTS).max(1);
        let context = q.context_lines.unwrap_or(0).min(20);
        let max_bytes = self.shared.opts.max_file_bytes;
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let out = Mutex::new(Collected {
            on_file,
            summary: SearchSummary {
                used_index,
                ..Default::default()
            },
            max,
        });
        let workers = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .clamp(1, 4)
            .min(files.len().max(1));
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    let mut searcher = grep::searcher(context);
                    let matcher = matcher.clone();
                    let mut dirs = DirCache::default();
                    loop {
                        if stop.load(Ordering::Relaxed) || cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        let Some(file) = self.searchable(path, max_bytes, &mut dirs) else {
                            continue;
                        };
                        let found =
                            grep::search_file(&mut searcher, &matcher, &file, path, max, cancel);
                        let mut out = lock(&out);
                        out.summary.files_searched += 1;
                        if let Some(found) = found
                            && !out.add(found)
                        {
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        let mut summary = out.into_inner().unwrap_or_else(|p| p.into_inner()).summary;
        summary.cancelled = cancel.load(Ordering::Relaxed);
        summary.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(summary)
    }

    /// Candidate files and whether the index chose them.
    fn candidates(&self, req: &Req) -> Result<(Vec<String>, bool)> {
        let ready = self.status().state == IndexState::Ready;
        if ready && let Some(text) = self.shared.text() {
            // Cheap when nothing changed; picks up commits made by another process.
            if let Err(e) = text.reader.reload() {
                tracing::debug!(error = %e, "index reader not reloaded");
            }
            match text.candidates(req) {
                Ok(Some(list)) => return Ok((list, true)),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "index lookup failed; scanning files"),
            }
        }
        Ok((self.paths_for_scan()?, false))
    }

    fn paths_for_scan(&self) -> Result<Vec<String>> {
        self.shared.with_paths(Duration::from_secs(30), |l| {
            l.paths().map(str::to_owned).collect()
        })
    }

    /// The file opened for reading if it is a regular file within the size limit.
    ///
    /// Confinement resolves every component (an lstat each); candidates cluster in few
    /// folders, so each folder is resolved and opened once per search worker and files are
    /// opened relative to it, one component each, never following a symlink there: a
    /// symlinked file takes the full, careful path instead.
    fn searchable(&self, path: &str, max_bytes: u64, dirs: &mut DirCache) -> Option<std::fs::File> {
        use rustix::fs::{Mode, OFlags};
        let rel = RelPath::new(path).ok()?;
        let parent = rel.parent()?;
        if !dirs.0.contains_key(parent.as_str()) {
            let dir = self.shared.root.resolve(&parent).ok().and_then(|d| {
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(&d, flags, Mode::empty()).ok()
            });
            dirs.0.insert(parent.as_str().to_owned(), dir);
        }
        let dir = dirs.0.get(parent.as_str())?.as_ref()?;
        // NONBLOCK: a FIFO must not hang the search; it has no effect on regular files.
        let flags =
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY | OFlags::NONBLOCK;
        let file = match rustix::fs::openat(dir, rel.file_name(), flags, Mode::empty()) {
            Ok(fd) => std::fs::File::from(fd),
            Err(rustix::io::Errno::LOOP) => {
                let abs = self.shared.root.resolve(&rel).ok()?;
                std::fs::File::open(abs).ok()?
            }
            Err(_) => return None,
        };
        let meta = file.metadata().ok()?;
        (meta.is_file() && meta.len() <= max_bytes).then_some(file)
    }
}

/// The opened folders of one search worker, by project-relative path (`None`: unusable).
#[derive(Default)]
struct DirCache(std::collections::HashMap<String, Option<rustix::fd::OwnedFd>>);

struct Collected<'a> {
    on_file: &'a mut (dyn FnMut(FileMatches) + Send),
    summary: SearchSummary,
    max: u32,
}

impl Collected<'_> {
    /// Records a file's results; false once the cap is reached.
    fn add(&mut self, mut found: FileMatches) -> bool {
        let room = self.max.saturating_sub(self.summary.lines);
        if room == 0 {
            self.summary.truncated = true;
            return false;
        }
        let mut kept = 0;
        let mut cut = found.lines.len();
        for (i, l) in found.lines.iter().enumerate() {
            if !l.context {
                if kept == room {
                    cut = i;
                    break;
                }
                kept += 1;
            }
        }
        if cut < found.lines.len() {
            found.lines.truncate(cut);
            self.summary.truncated = true;
        }
        self.summary.files += 1;
        self.summary.lines += kept;
        self.summary.matches += found
            .match_lines()
            .map(|l| u32::try_from(l.ranges.len()).unwrap_or(0))
            .sum::<u32>();
        (self.on_file)(found);
        if self.summary.lines >= self.max {
            self.summary.truncated = true;
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_an_editor() {
        let f = PathFilter::new(&["*.rs".into()], &["target".into()]).unwrap();
        assert!(f.allows("src/lib.rs"));
        assert!(!f.allows("src/lib.py"));
        assert!(!f.allows("target/debug/x.rs"));
        assert!(!f.allows("a/target/x.rs"));
        let f = PathFilter::new(&["src/".into()], &[]).unwrap();
        assert!(f.allows("src/a/b.txt"));
        assert!(!f.allows("lib/src.txt"));
        assert!(PathFilter::new(&["a[".into()], &[]).is_err());
    }
}
