//! Verifying candidates on the files themselves, with ripgrep's own libraries and settings
//! (grep-regex matcher, grep-searcher reading in buffers, quitting at a NUL byte, BOM
//! sniffing), so results equal `rg`'s for the same options.

use std::sync::atomic::{AtomicBool, Ordering};

use aura_core::{Error, Result};
use grep_matcher::Matcher;
use grep_regex::{RegexMatcher, RegexMatcherBuilder};
use grep_searcher::{BinaryDetection, Searcher, SearcherBuilder, Sink, SinkContext, SinkMatch};

use crate::dto::{FileMatches, MatchRange, SearchLine, SearchQuery};

/// The matcher for a query: literal or regex, case, whole word, never across lines.
pub fn matcher(q: &SearchQuery) -> Result<RegexMatcher> {
    let mut b = RegexMatcherBuilder::new();
    b.case_insensitive(!q.case_sensitive)
        .word(q.whole_word)
        .fixed_strings(!q.regex)
        .multi_line(true)
        .line_terminator(Some(b'\n'))
        .ban_byte(Some(b'\0'));
    b.build(&q.pattern)
        .map_err(|e| Error::invalid(format!("invalid search pattern: {e}")))
}

/// A searcher configured as ripgrep configures its own for a recursive search.
pub fn searcher(context: u32) -> Searcher {
    SearcherBuilder::new()
        .line_number(true)
        .binary_detection(BinaryDetection::quit(b'\0'))
        .before_context(context as usize)
        .after_context(context as usize)
        .build()
}

/// Searches one file; `None` when nothing matched (or it vanished meanwhile).
pub fn search_file(
    searcher: &mut Searcher,
    matcher: &RegexMatcher,
    file: &std::fs::File,
    path: &str,
    max_lines: u32,
    cancel: &AtomicBool,
) -> Option<FileMatches> {
    let mut sink = Collect {
        matcher,
        lines: Vec::new(),
        match_lines: 0,
        max_lines,
        cancel,
    };
    if let Err(err) = searcher.search_file(matcher, file, &mut sink) {
        tracing::debug!(path, %err, "not searched");
        return None;
    }
    (sink.match_lines > 0).then(|| FileMatches {
        path: path.to_owned(),
        lines: sink.lines,
    })
}

struct Collect<'a> {
    matcher: &'a RegexMatcher,
    lines: Vec<SearchLine>,
    match_lines: u32,
    max_lines: u32,
    cancel: &'a AtomicBool,
}

impl Sink for Collect<'_> {
    type Error = std::io::Error;

    fn matched(&mut self, _: &Searcher, mat: &SinkMatch<'_>) -> Result<bool, Self::Error> {
        let first = mat.line_number().unwrap_or(0);
        for (number, line) in (first..).zip(mat.lines()) {
            if self.match_lines >= self.max_lines {
                return Ok(false);
            }
            let ranges = find_ranges(self.matcher, line);
            self.lines.push(SearchLine {
                line: u32::try_from(number).unwrap_or(u32::MAX),
                text: line_text(line),
                context: false,
                ranges,
            });
            self.match_lines += 1;
        }
        Ok(self.match_lines < self.max_lines && !self.cancel.load(Ordering::Relaxed))
    }

    fn context(&mut self, _: &Searcher, ctx: &SinkContext<'_>) -> Result<bool, Self::Error> {
        self.lines.push(SearchLine {
            line: u32::try_from(ctx.line_number().unwrap_or(0)).unwrap_or(u32::MAX),
            text: line_text(ctx.bytes()),
            context: true,
            ranges: Vec::new(),
        });
        Ok(!self.cancel.load(Ordering::Relaxed))
    }
}

fn strip_terminator(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\n").unwrap_or(line)
}

fn line_text(line: &[u8]) -> String {
    String::from_utf8_lossy(strip_terminator(line)).into_owned()
}

/// The matches in one line, as ripgrep's printer finds them: on the line without its
/// terminator, dropping an empty match at the very end.
pub fn find_ranges(matcher: &RegexMatcher, line: &[u8]) -> Vec<MatchRange> {
    let bytes = strip_terminator(line);
    let mut spans = Vec::new();
    let _ = matcher.find_iter(bytes, |m| {
        spans.push((m.start(), m.end()));
        true
    });
    if spans
        .last()
        .is_some_and(|&(s, e)| s == e && s >= bytes.len())
    {
        spans.pop();
    }
    let mut cols = Utf16Cols::new(bytes);
    spans
        .into_iter()
        .map(|(s, e)| MatchRange {
            start: cols.col(s),
            end: cols.col(e),
            start_byte: u32::try_from(s).unwrap_or(u32::MAX),
            end_byte: u32::try_from(e).unwrap_or(u32::MAX),
        })
        .collect()
}

/// Converts byte offsets in a line to 1-based UTF-16 columns, walking forward only.
pub struct Utf16Cols<'a> {
    bytes: &'a [u8],
    at_byte: usize,
    at_col: u32,
}

impl<'a> Utf16Cols<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            at_byte: 0,
            at_col: 1,
        }
    }

    /// Offsets must not decrease between calls (matches come in order).
    pub fn col(&mut self, byte: usize) -> u32 {
        if byte < self.at_byte {
            self.at_byte = 0;
            self.at_col = 1;
        }
        let chunk = &self.bytes[self.at_byte..byte.min(self.bytes.len())];
        let units: usize = String::from_utf8_lossy(chunk)
            .chars()
            .map(char::len_utf16)
            .sum();
        self.at_col += u32::try_from(units).unwrap_or(u32::MAX);
        self.at_byte = byte;
        self.at_col
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pattern: &str, regex: bool) -> SearchQuery {
        SearchQuery {
            pattern: pattern.into(),
            regex,
            case_sensitive: true,
            ..Default::default()
        }
    }

    #[test]
    fn columns_are_utf16_and_bytes() {
        let m = matcher(&q("x", false)).unwrap();
        let r = find_ranges(&m, "é😀x\n".as_bytes());
        assert_eq!(
            r,
            vec![MatchRange {
                start: 4,
                end: 5,
                start_byte: 6,
                end_byte: 7
            }]
        );
    }

    #[test]
    fn literal_mode_escapes_and_word_mode_bounds() {
        let m = matcher(&q("a.b", false)).unwrap();
        assert_eq!(find_ranges(&m, b"axb a.b").len(), 1);
        let mut w = q("foo", false);
        w.whole_word = true;
        let m = matcher(&w).unwrap();
        assert_eq!(find_ranges(&m, b"foo foobar (foo)").len(), 2);
        assert!(matcher(&q("(", true)).is_err());
    }
}
