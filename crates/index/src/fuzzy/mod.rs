//! Quick-open: ranks a project's file paths against what the user types.
//!
//! nucleo's matcher (fzf's algorithm) with its path bonuses does the scoring; on top of it
//! a file name that starts with or equals the query wins over a scattered match across
//! folders, recently opened files come first for short queries, and ties go to the shorter
//! path. The list stays in memory (paths as UTF-32 for nucleo, about 5 MB per 100k ASCII
//! paths); a query that extends the previous one only re-scores the previous hits, the
//! common case while typing, and a path that cannot make the list is checked for a match
//! but never aligned (`top`).

mod top;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

use crate::dto::PathMatch;
use top::Scorer;

/// Bonuses in nucleo's score units (a matched character is worth about 16).
const NAME_EQUALS_BONUS: u32 = 400;
const NAME_PREFIX_BONUS: u32 = 120;
const NAME_CONTAINS_BONUS: u32 = 60;
/// Recent files: above anything else for queries this short, a nudge for longer ones.
const SHORT_QUERY: usize = 2;
const RECENT_BONUS_SHORT: u32 = 10_000;
const RECENT_BONUS: u32 = 30;
/// Pools at least this large are scored on several threads.
const PARALLEL_FROM: usize = 20_000;

/// The paths of one project, kept sorted, with the last query's hits for narrowing.
pub struct PathList {
    paths: Vec<(String, Utf32String)>,
    matcher: Matcher,
    last: Option<(String, Vec<u32>)>,
    /// Skips aligning paths that cannot make the list (see `top`); off only to check it.
    prune: bool,
}

impl std::fmt::Debug for PathList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PathList")
            .field("len", &self.paths.len())
            .finish_non_exhaustive()
    }
}

impl Default for PathList {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl PathList {
    pub fn new(mut paths: Vec<String>) -> Self {
        paths.sort();
        paths.dedup();
        Self {
            paths: paths
                .into_iter()
                .map(|p| {
                    let u = Utf32String::from(p.as_str());
                    (p, u)
                })
                .collect(),
            matcher: Matcher::new(Config::DEFAULT.match_paths()),
            last: None,
            prune: true,
        }
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.find(path).is_ok()
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().map(|(p, _)| p.as_str())
    }

    fn find(&self, path: &str) -> Result<usize, usize> {
        self.paths.binary_search_by(|(p, _)| p.as_str().cmp(path))
    }

    pub fn insert(&mut self, path: &str) {
        if let Err(at) = self.find(path) {
            self.paths
                .insert(at, (path.to_owned(), Utf32String::from(path)));
            self.last = None;
        }
    }

    pub fn remove(&mut self, path: &str) {
        if let Ok(at) = self.find(path) {
            self.paths.remove(at);
            self.last = None;
        }
    }

    /// Removes `dir` and everything below it.
    pub fn remove_tree(&mut self, dir: &str) {
        let prefix = format!("{dir}/");
        let before = self.paths.len();
        self.paths
            .retain(|(p, _)| p != dir && !p.starts_with(&prefix));
        if self.paths.len() != before {
            self.last = None;
        }
    }

    /// Replaces the paths under `dir` ("" for all) with `fresh`.
    pub fn replace_tree(&mut self, dir: &str, fresh: Vec<String>) {
        if dir.is_empty() {
            *self = Self::new(fresh);
            return;
        }
        self.remove_tree(dir);
        for p in fresh {
            self.insert(&p);
        }
    }

    /// The best `limit` paths for `query`; `recent` (most recent first) lifts those files.
    pub fn rank(&mut self, query: &str, recent: &[String], limit: usize) -> Vec<PathMatch> {
        let query = query.trim();
        if query.is_empty() {
            return self.rank_empty(recent, limit);
        }
        let pattern = Pattern::new(
            query,
            CaseMatching::Smart,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        // Extending the query can only remove hits, so only the last hits need scoring.
        let pool: Vec<u32> = match &self.last {
            Some((q, hits)) if query.starts_with(q.as_str()) => hits.clone(),
            _ => (0..u32::try_from(self.paths.len()).unwrap_or(u32::MAX)).collect(),
        };
        let lower = query.to_lowercase();
        let short = query.chars().count() <= SHORT_QUERY;
        // The recent files by index: one lookup per matching path must not hash its text.
        let mut recent_at: Vec<(u32, u32)> = recent
            .iter()
            .enumerate()
            .filter_map(|(rank, p)| {
                let at = u32::try_from(self.find(p).ok()?).ok()?;
                Some((at, u32::try_from(rank).unwrap_or(u32::MAX)))
            })
            .collect();
        recent_at.sort_unstable();
        let paths = &self.paths;
        let extra = |i: u32| {
            let mut bonus = name_bonus(&paths[i as usize].0, &lower);
            if let Ok(at) = recent_at.binary_search_by_key(&i, |&(at, _)| at) {
                let r = recent_at[at].1;
                bonus += if short {
                    RECENT_BONUS_SHORT.saturating_sub(r)
                } else {
                    RECENT_BONUS.saturating_sub(r / 2)
                };
            }
            bonus
        };
        let scorer = Scorer::new(query, &pattern, paths, &extra, self.prune);
        // The first keystrokes check every path: split big pools across the cores.
        let threads = if pool.len() >= PARALLEL_FROM {
            std::thread::available_parallelism()
                .map_or(1, usize::from)
                .clamp(1, 4)
        } else {
            1
        };
        let (hits, mut best) = if threads > 1 {
            let size = pool.len().div_ceil(threads);
            let main = &mut self.matcher;
            let scorer = &scorer;
            std::thread::scope(|sc| {
                let mut parts = pool.chunks(size);
                let first = parts.next().unwrap_or(&[]);
                let others: Vec<_> = parts
                    .map(|part| {
                        sc.spawn(move || {
                            let mut m = Matcher::new(Config::DEFAULT.match_paths());
                            scorer.part(part, &mut m, limit)
                        })
                    })
                    .collect();
                let (mut hits, mut best) = scorer.part(first, main, limit);
                for h in others {
                    // A scoring thread only panics on a bug; its share then stays unranked.
                    if let Ok((h, b)) = h.join() {
                        hits.extend(h);
                        best.extend(b);
                    }
                }
                (hits, best)
            })
        } else {
            scorer.part(&pool, &mut self.matcher, limit)
        };
        self.last = Some((query.to_owned(), hits));
        best.sort_unstable();
        best.truncate(limit);
        let mut buf = Vec::new();
        best.into_iter()
            .map(|(std::cmp::Reverse(score), _, i)| {
                let (path, utf32) = &self.paths[i as usize];
                buf.clear();
                pattern.indices(utf32.slice(..), &mut self.matcher, &mut buf);
                PathMatch {
                    path: path.clone(),
                    score,
                    indices: utf16_indices(path, &mut buf),
                }
            })
            .collect()
    }

    /// No query: recent files that still exist, then the rest in path order.
    fn rank_empty(&self, recent: &[String], limit: usize) -> Vec<PathMatch> {
        let mut out: Vec<PathMatch> = recent
            .iter()
            .filter(|p| self.contains(p))
            .take(limit)
            .map(|p| PathMatch {
                path: p.clone(),
                score: 1,
                indices: Vec::new(),
            })
            .collect();
        let taken: std::collections::HashSet<String> = out.iter().map(|m| m.path.clone()).collect();
        let rest = self
            .paths()
            .filter(|p| !taken.contains(*p))
            .take(limit.saturating_sub(out.len()))
            .map(|p| PathMatch {
                path: p.to_owned(),
                score: 0,
                indices: Vec::new(),
            });
        out.extend(rest.collect::<Vec<_>>());
        out
    }
}

/// Rewards a query found in the file name itself over one spread across folders.
fn name_bonus(path: &str, lower_query: &str) -> u32 {
    if lower_query.contains('/') || lower_query.contains(' ') {
        return 0;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    // Runs for every matching path on every keystroke: no allocation for ASCII names.
    if name.is_ascii() && lower_query.is_ascii() {
        let (n, q) = (name.as_bytes(), lower_query.as_bytes());
        return if n.eq_ignore_ascii_case(q) {
            NAME_EQUALS_BONUS
        } else if n.len() >= q.len() && n[..q.len()].eq_ignore_ascii_case(q) {
            NAME_PREFIX_BONUS
        } else if !q.is_empty() && n.windows(q.len()).any(|w| w.eq_ignore_ascii_case(q)) {
            NAME_CONTAINS_BONUS
        } else {
            0
        };
    }
    let name = name.to_lowercase();
    if name == lower_query {
        NAME_EQUALS_BONUS
    } else if name.starts_with(lower_query) {
        NAME_PREFIX_BONUS
    } else if name.contains(lower_query) {
        NAME_CONTAINS_BONUS
    } else {
        0
    }
}

/// nucleo reports char indices; the UI indexes JavaScript strings (UTF-16 units).
pub(crate) fn utf16_indices(path: &str, char_indices: &mut Vec<u32>) -> Vec<u32> {
    char_indices.sort_unstable();
    char_indices.dedup();
    if path.is_ascii() {
        return char_indices.clone();
    }
    let mut offsets = Vec::with_capacity(path.len());
    let mut at = 0u32;
    for c in path.chars() {
        offsets.push(at);
        at += u32::try_from(c.len_utf16()).unwrap_or(1);
    }
    char_indices
        .iter()
        .filter_map(|&i| offsets.get(i as usize).copied())
        .collect()
}

/// Scores one path, for tests and tools: `None` if it does not match.
pub fn score_one(query: &str, path: &str) -> Option<u32> {
    let pattern = Pattern::new(
        query,
        CaseMatching::Smart,
        Normalization::Smart,
        AtomKind::Fuzzy,
    );
    let mut matcher = Matcher::new(Config::DEFAULT.match_paths());
    let mut buf = Vec::new();
    pattern
        .score(Utf32Str::new(path, &mut buf), &mut matcher)
        .map(|s| s + name_bonus(path, &query.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pools past PARALLEL_FROM are scored on several threads: the ranking must be the
    /// same as for the small pools, including what narrowing keeps.
    #[test]
    fn a_large_list_ranks_like_a_small_one() {
        let mut paths: Vec<String> = (0..30_000)
            .map(|i| format!("crate{}/src/module_{i}.rs", i % 97))
            .collect();
        paths.push("deep/nested/zebra_config.toml".into());
        let mut big = PathList::new(paths.clone());
        let mut small = PathList::new(paths[29_000..].to_vec());
        let b = big.rank("zebra", &[], 5);
        let s = small.rank("zebra", &[], 5);
        assert_eq!(b[0].path, "deep/nested/zebra_config.toml");
        assert_eq!(b, s);
        // Narrowing from the parallel hits finds the same as a fresh list.
        big.rank("m", &[], 10);
        let narrowed = big.rank("module_2999", &[], 20);
        let fresh = PathList::new(paths).rank("module_2999", &[], 20);
        assert_eq!(narrowed, fresh);
        assert!(narrowed.iter().any(|m| m.path.ends_with("/module_2999.rs")));
    }

    /// Skipping paths that cannot make the list must not change it: same results as
    /// aligning every match, for every keystroke, limit and recency, on a corpus full of
    /// ties (repeated names, the same words in many folders).
    #[test]
    fn pruned_ranking_equals_scoring_every_path() {
        let words = [
            "src", "lib", "main", "mod", "serde", "Cargo", "README", "tests", "read", "util", "sr",
            "s", "r", "index", "io", "runtime", "config", "Sort", "résumé", "a b",
        ];
        let exts = [".rs", ".toml", ".md", "", ".json"];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let paths: Vec<String> = (0..30_000)
            .map(|_| {
                let mut p = String::new();
                for d in 0..=next(5) {
                    if d > 0 {
                        p.push('/');
                    }
                    p += words[next(words.len())];
                    if next(3) == 0 {
                        p.push('_');
                        p += words[next(words.len())];
                    }
                }
                p + exts[next(exts.len())]
            })
            .collect();
        let recent: Vec<String> = paths.iter().step_by(1500).cloned().collect();
        let mut pruned = PathList::new(paths.clone());
        let mut full = PathList::new(paths);
        full.prune = false;
        for typed in [
            "serde_json",
            "src/lib.rs",
            "README",
            "sR",
            "résumé",
            "a b",
            "zzz",
        ] {
            for end in typed.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let q = &typed[..end];
                for (limit, recent) in [(50, &recent[..]), (1, &[][..]), (7, &recent[..3])] {
                    let want = full.rank(q, recent, limit);
                    assert_eq!(pruned.rank(q, recent, limit), want, "{q:?} limit {limit}");
                }
            }
        }
    }

    fn list(paths: &[&str]) -> PathList {
        PathList::new(paths.iter().map(|p| (*p).to_owned()).collect())
    }

    #[test]
    fn exact_file_name_beats_a_scattered_match() {
        let mut l = list(&[
            "src/main/aux/in/rs.txt",
            "crates/app/src/main.rs",
            "docs/maintenance.rst",
        ]);
        let got = l.rank("main.rs", &[], 10);
        assert_eq!(got[0].path, "crates/app/src/main.rs");
        // The highlighted characters spell the query, in the file name.
        let idx: Vec<usize> = got[0].indices.iter().map(|&i| i as usize).collect();
        let spelled: String = idx.iter().map(|&i| &got[0].path[i..=i]).collect();
        assert_eq!(spelled, "main.rs");
        assert_eq!(idx[0], "crates/app/src/".len());
    }

    #[test]
    fn non_matches_are_left_out_and_narrowing_agrees_with_a_fresh_rank() {
        let mut l = list(&["a/foo.rs", "b/bar.rs", "c/fob.txt", "d/food.md"]);
        let first = l.rank("fo", &[], 10);
        assert_eq!(first.len(), 3);
        let narrowed = l.rank("foo", &[], 10);
        let mut fresh = list(&["a/foo.rs", "b/bar.rs", "c/fob.txt", "d/food.md"]);
        assert_eq!(narrowed, fresh.rank("foo", &[], 10));
        assert_eq!(narrowed.len(), 2);
        // An edit to the list drops the narrowing cache.
        l.insert("e/foo2.rs");
        assert_eq!(l.rank("foo", &[], 10).len(), 3);
    }

    #[test]
    fn recent_files_come_first_for_empty_and_short_queries() {
        let mut l = list(&["a.rs", "b.rs", "zz/b.rs", "gone.rs"]);
        let recent = vec!["zz/b.rs".to_owned(), "missing.rs".to_owned()];
        let empty = l.rank("", &recent, 3);
        let names: Vec<&str> = empty.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(names, ["zz/b.rs", "a.rs", "b.rs"]);
        assert_eq!(l.rank("b", &recent, 10)[0].path, "zz/b.rs");
    }

    #[test]
    fn indices_are_utf16_offsets() {
        let mut l = list(&["é/😀x.rs"]);
        let got = l.rank("x", &[], 1);
        // 'é' is one unit, '/' one, the emoji two: x sits at 4.
        assert_eq!(got[0].indices, vec![4]);
    }

    #[test]
    fn tree_updates() {
        let mut l = list(&["a/x", "a/y", "ab", "b"]);
        l.remove_tree("a");
        assert_eq!(l.paths().collect::<Vec<_>>(), ["ab", "b"]);
        l.replace_tree("c", vec!["c/1".into()]);
        assert!(l.contains("c/1"));
        l.remove("b");
        assert_eq!(l.len(), 2);
    }
}
