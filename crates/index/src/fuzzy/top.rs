//! The best few paths for a query without scoring every path that matches.
//!
//! nucleo's optimal alignment costs about 0.2 µs per path; the first keystrokes ("s", "sr")
//! match nearly every path of a big project, so scoring them all is what made those
//! keystrokes slow. No alignment can score more than every character taking the largest
//! bonus (see [`max_score`]), so a path whose ceiling (that plus our own bonuses) cannot
//! beat the worst of the best `limit` found so far is only checked for matching (which the
//! narrowing of the next keystroke needs) and never aligned.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use nucleo_matcher::pattern::Pattern;
use nucleo_matcher::{Matcher, Utf32Str, Utf32String};

/// Smaller is better: higher score, then the shorter path, then path order.
pub(super) type Key = (Reverse<u32>, usize, u32);

/// nucleo's per-character scores for path matching: a match is worth 16, and the largest
/// bonus a character can take is the one after a path delimiter (9; a word boundary is 8,
/// camelCase 5, a consecutive run 4). The first character's bonus counts twice.
const SCORE_MATCH: u32 = 16;
const MAX_BONUS: u32 = 9;

/// The most a `len`-character atom can score: gaps only ever subtract.
fn max_score(len: usize) -> u32 {
    let len = u32::try_from(len).unwrap_or(u32::MAX / 64);
    SCORE_MATCH * len + MAX_BONUS * (len + 1)
}

/// What the cheap pass needs to decide a match the way nucleo would.
struct Needle {
    bytes: Vec<u8>,
    ignore_case: bool,
    ceiling: u32,
}

impl Needle {
    /// Only plain ASCII single-word queries take the cheap path; anything else (several
    /// words, escapes, characters nucleo normalises) is scored by nucleo alone.
    fn new(query: &str) -> Option<Self> {
        let plain = query.is_ascii()
            && !query.is_empty()
            && !query.bytes().any(|b| b.is_ascii_whitespace() || b == b'\\');
        plain.then(|| {
            let ignore_case = !query.bytes().any(|b| b.is_ascii_uppercase());
            Self {
                bytes: query.as_bytes().to_vec(),
                ignore_case,
                ceiling: max_score(query.len()),
            }
        })
    }

    /// Subsequence test: nucleo's fuzzy atom matches exactly when this holds.
    fn matches(&self, hay: &[u8]) -> bool {
        let mut want = self.bytes.iter();
        let Some(mut c) = want.next() else {
            return true;
        };
        for &b in hay {
            let b = if self.ignore_case {
                b.to_ascii_lowercase()
            } else {
                b
            };
            if b == *c {
                match want.next() {
                    Some(n) => c = n,
                    None => return true,
                }
            }
        }
        false
    }
}

/// One query's scoring, shared by the threads that split the pool.
pub(super) struct Scorer<'a> {
    pub pattern: &'a Pattern,
    pub paths: &'a [(String, Utf32String)],
    /// Our bonuses on top of nucleo's score (file name, recency) for one path.
    pub extra: &'a (dyn Fn(u32) -> u32 + Sync),
    needle: Option<Needle>,
}

impl<'a> Scorer<'a> {
    pub fn new(
        query: &str,
        pattern: &'a Pattern,
        paths: &'a [(String, Utf32String)],
        extra: &'a (dyn Fn(u32) -> u32 + Sync),
        prune: bool,
    ) -> Self {
        Self {
            pattern,
            paths,
            extra,
            needle: if prune { Needle::new(query) } else { None },
        }
    }

    /// The paths of `part` that match, and the best `limit` of them as (key, score).
    pub fn part(&self, part: &[u32], matcher: &mut Matcher, limit: usize) -> (Vec<u32>, Vec<Key>) {
        let mut hits = Vec::new();
        let mut best: BinaryHeap<Key> = BinaryHeap::with_capacity(limit + 1);
        for &i in part {
            let (path, utf32) = &self.paths[i as usize];
            let hay = utf32.slice(..);
            let ascii = match (&self.needle, hay) {
                (Some(n), Utf32Str::Ascii(bytes)) => Some((n, bytes)),
                _ => None,
            };
            let score = if let Some((needle, bytes)) = ascii {
                if !needle.matches(bytes) {
                    continue;
                }
                hits.push(i);
                let extra = (self.extra)(i);
                let ceiling = (Reverse(needle.ceiling + extra), path.len(), i);
                if best.len() >= limit && best.peek().is_none_or(|worst| ceiling >= *worst) {
                    continue;
                }
                let Some(base) = self.pattern.score(hay, matcher) else {
                    // Unreachable while `matches` agrees with nucleo; a path it lets
                    // through that nucleo rejects must not be listed.
                    hits.pop();
                    continue;
                };
                base + extra
            } else {
                let Some(base) = self.pattern.score(hay, matcher) else {
                    continue;
                };
                hits.push(i);
                base + (self.extra)(i)
            };
            let key = (Reverse(score), path.len(), i);
            if best.len() < limit {
                best.push(key);
            } else if best.peek().is_some_and(|worst| key < *worst) {
                best.pop();
                best.push(key);
            }
        }
        (hits, best.into_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nucleo_matcher::Config;
    use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization};

    fn pattern(q: &str) -> Pattern {
        Pattern::new(
            q,
            CaseMatching::Smart,
            Normalization::Smart,
            AtomKind::Fuzzy,
        )
    }

    /// The pruning is only sound while no path scores above the ceiling and the cheap
    /// match agrees with nucleo's: checked over paths built to reach for the largest
    /// bonuses (delimiters, boundaries, camelCase, digits, runs) and to miss by case.
    #[test]
    fn the_ceiling_holds_and_is_reached_and_matching_agrees_with_nucleo() {
        let mut m = Matcher::new(Config::DEFAULT.match_paths());
        let hays = [
            "src",
            "/src",
            "a/src/b",
            "s/r/c",
            "S-R_C",
            "sRc",
            "xsrc",
            "s r c",
            "src/src/src",
            "Src/SRC",
            "a.s.r.c",
            "s1r2c3",
            "my src",
            "-src",
            "::src",
            "s__rrrc",
        ];
        for q in ["s", "sr", "src", "SR", "Src", "r", "c", "sc", "s_r"] {
            let p = pattern(q);
            let needle = Needle::new(q).expect("plain ASCII");
            for h in hays {
                let mut buf = Vec::new();
                let got = p.score(Utf32Str::new(h, &mut buf), &mut m);
                assert_eq!(needle.matches(h.as_bytes()), got.is_some(), "{q} in {h}");
                if let Some(s) = got {
                    assert!(s <= needle.ceiling, "{q} in {h}: {s} > {}", needle.ceiling);
                }
            }
            // Tight: a word-character query right after a delimiter reaches the ceiling.
            if q.bytes().all(|b| b.is_ascii_alphabetic()) {
                let h = format!("a/{q}");
                let mut buf = Vec::new();
                let got = p.score(Utf32Str::new(&h, &mut buf), &mut m);
                assert_eq!(got, Some(needle.ceiling), "{q} in {h}");
            }
        }
    }

    #[test]
    fn queries_nucleo_treats_specially_are_not_pruned() {
        for q in ["a b", "é", "a\\ b", ""] {
            assert!(Needle::new(q).is_none(), "{q:?}");
        }
    }
}
