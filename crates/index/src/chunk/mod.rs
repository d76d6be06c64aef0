//! The chunker: a source file cut into the pieces that retrieval ranks and embeds.
//!
//! For languages with a grammar ([`syntax`]: Rust, Python, JavaScript, TypeScript/TSX, Go,
//! Java, C, C++) chunks follow definitions: a function or method is one chunk, a class,
//! impl or trait contributes a header chunk (its first lines up to the first member) and
//! its members, each member knowing its parent. Doc comments and attributes directly above
//! a definition belong to it. Lines outside every definition (imports, top-level
//! statements) become line-window chunks, and a definition too long to embed well is split
//! into overlapping windows that keep its name. Every other language is cut into
//! overlapping line windows.
//!
//! Pure functions of the text: no I/O, so golden tests pin the output per language.

mod syntax;

use serde::{Deserialize, Serialize};
use specta::Type;

pub use syntax::Grammar;

/// What a chunk is. Serialized in lowercase (`"function"`, `"method"`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum ChunkKind {
    Function,
    Method,
    Class,
    Struct,
    Enum,
    Interface,
    Trait,
    Impl,
    Module,
    Type,
    Macro,
    Constant,
    /// Lines outside any definition, or a file without a grammar.
    Block,
}

impl ChunkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Function => "function",
            Self::Method => "method",
            Self::Class => "class",
            Self::Struct => "struct",
            Self::Enum => "enum",
            Self::Interface => "interface",
            Self::Trait => "trait",
            Self::Impl => "impl",
            Self::Module => "module",
            Self::Type => "type",
            Self::Macro => "macro",
            Self::Constant => "constant",
            Self::Block => "block",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ALL_KINDS.iter().copied().find(|k| k.as_str() == s)
    }

    /// Kinds that name something a user can jump to (workspace symbols).
    pub fn is_symbol(self) -> bool {
        self != Self::Block
    }
}

const ALL_KINDS: [ChunkKind; 13] = [
    ChunkKind::Function,
    ChunkKind::Method,
    ChunkKind::Class,
    ChunkKind::Struct,
    ChunkKind::Enum,
    ChunkKind::Interface,
    ChunkKind::Trait,
    ChunkKind::Impl,
    ChunkKind::Module,
    ChunkKind::Type,
    ChunkKind::Macro,
    ChunkKind::Constant,
    ChunkKind::Block,
];

/// One piece of a file. Lines are 1-based and inclusive; the bytes cover those whole lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub symbol: Option<String>,
    pub kind: ChunkKind,
    /// The enclosing class, impl, trait or module (for a method: its class).
    pub parent: Option<String>,
    pub line_start: u32,
    pub line_end: u32,
    pub byte_start: usize,
    pub byte_end: usize,
    /// blake3 of the chunk's text, hex.
    pub hash: String,
}

impl Chunk {
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.byte_start..self.byte_end).unwrap_or("")
    }
}

/// Sizes of windows and of the longest definition kept whole.
#[derive(Debug, Clone, Copy)]
pub struct ChunkLimits {
    /// Lines of a window (gaps, files without a grammar, split definitions).
    pub window_lines: u32,
    /// Lines two consecutive windows share.
    pub overlap_lines: u32,
    /// A definition longer than this is split into windows.
    pub max_lines: u32,
}

impl Default for ChunkLimits {
    fn default() -> Self {
        // About what the embedding model reads (256 tokens) for dense code, with room for
        // a function to stay whole when it is of ordinary length.
        Self {
            window_lines: 40,
            overlap_lines: 8,
            max_lines: 80,
        }
    }
}

/// Cuts `text` (the file at `path`) into chunks, in file order.
pub fn chunk_file(path: &str, text: &str, limits: &ChunkLimits) -> Vec<Chunk> {
    let lines = LineIndex::new(text);
    let defs = match Grammar::for_path(path) {
        Some(grammar) => syntax::definitions(grammar, text),
        None => None,
    };
    let mut out = Vec::new();
    let defs = defs.unwrap_or_default();
    let mut covered_to = 0u32; // last line covered by a definition so far
    for def in &defs {
        // Containers leave runs such as a lone closing brace: nothing to chunk there.
        if trim_blank(&lines, text, def.line_start, def.line_end).is_none() {
            continue;
        }
        let (mut line_start, mut line_end) = (def.line_start, def.line_end);
        while line_start < line_end && lines.line(text, line_start).trim().is_empty() {
            line_start += 1;
        }
        while line_end > line_start && lines.line(text, line_end).trim().is_empty() {
            line_end -= 1;
        }
        let def = syntax::Def {
            line_start,
            line_end,
            ..def.clone()
        };
        if def.line_start > covered_to + 1 {
            gap(
                &lines,
                text,
                covered_to + 1,
                def.line_start - 1,
                limits,
                &mut out,
            );
        }
        let span = def.line_end - def.line_start + 1;
        if span > limits.max_lines {
            for (a, b) in windows(def.line_start, def.line_end, limits) {
                out.push(make(&lines, text, a, b, def.kind, &def.name, &def.parent));
            }
        } else {
            out.push(make(
                &lines,
                text,
                def.line_start,
                def.line_end,
                def.kind,
                &def.name,
                &def.parent,
            ));
        }
        covered_to = covered_to.max(def.line_end);
    }
    if lines.count() > covered_to {
        gap(
            &lines,
            text,
            covered_to + 1,
            lines.count(),
            limits,
            &mut out,
        );
    }
    out
}

/// Lines `from..=to` outside any definition: windows, skipping runs with nothing in them
/// but punctuation (a closing brace is not worth a chunk).
fn gap(
    lines: &LineIndex,
    text: &str,
    from: u32,
    to: u32,
    limits: &ChunkLimits,
    out: &mut Vec<Chunk>,
) {
    let Some((from, to)) = trim_blank(lines, text, from, to) else {
        return;
    };
    for (a, b) in windows(from, to, limits) {
        out.push(make(lines, text, a, b, ChunkKind::Block, &None, &None));
    }
}

fn trim_blank(lines: &LineIndex, text: &str, mut from: u32, mut to: u32) -> Option<(u32, u32)> {
    let meaningful = |l: u32| lines.line(text, l).chars().any(char::is_alphanumeric);
    while from <= to && !meaningful(from) {
        from += 1;
    }
    while to >= from && !meaningful(to) {
        to -= 1;
    }
    (from <= to).then_some((from, to))
}

/// Overlapping windows over `from..=to`; the last one ends at `to`.
fn windows(from: u32, to: u32, limits: &ChunkLimits) -> Vec<(u32, u32)> {
    let size = limits.window_lines.max(1);
    let step = size.saturating_sub(limits.overlap_lines).max(1);
    let mut out = Vec::new();
    let mut a = from;
    loop {
        let b = (a + size - 1).min(to);
        out.push((a, b));
        if b >= to {
            break;
        }
        a += step;
    }
    out
}

fn make(
    lines: &LineIndex,
    text: &str,
    a: u32,
    b: u32,
    kind: ChunkKind,
    name: &Option<String>,
    parent: &Option<String>,
) -> Chunk {
    let (byte_start, byte_end) = lines.bytes(a, b);
    Chunk {
        symbol: name.clone(),
        kind,
        parent: parent.clone(),
        line_start: a,
        line_end: b,
        byte_start,
        byte_end,
        hash: blake3::hash(text.as_bytes().get(byte_start..byte_end).unwrap_or(&[]))
            .to_hex()
            .to_string(),
    }
}

/// Byte offsets of line starts, for whole-line slices.
struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        if starts.last() == Some(&text.len()) && !text.is_empty() {
            starts.pop(); // a final newline does not start another line
        }
        Self {
            starts,
            len: text.len(),
        }
    }

    fn count(&self) -> u32 {
        u32::try_from(self.starts.len()).unwrap_or(u32::MAX)
    }

    /// Bytes of lines `a..=b` (1-based), including the last line's break.
    fn bytes(&self, a: u32, b: u32) -> (usize, usize) {
        let start = self.starts.get(a as usize - 1).copied().unwrap_or(self.len);
        let end = self.starts.get(b as usize).copied().unwrap_or(self.len);
        (start, end)
    }

    fn line<'a>(&self, text: &'a str, l: u32) -> &'a str {
        let (a, b) = self.bytes(l, l);
        text.get(a..b).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_overlap_and_end_on_the_last_line() {
        let l = ChunkLimits {
            window_lines: 10,
            overlap_lines: 2,
            max_lines: 20,
        };
        assert_eq!(windows(1, 25, &l), vec![(1, 10), (9, 18), (17, 25)]);
        assert_eq!(windows(5, 5, &l), vec![(5, 5)]);
    }

    #[test]
    fn unknown_languages_are_cut_into_windows() {
        let text: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        let chunks = chunk_file("notes.txt", &text, &ChunkLimits::default());
        assert_eq!(chunks.first().map(|c| c.line_start), Some(1));
        assert_eq!(chunks.last().map(|c| c.line_end), Some(100));
        assert!(chunks.iter().all(|c| c.kind == ChunkKind::Block));
        assert!(chunks.windows(2).all(|w| w[1].line_start <= w[0].line_end));
        assert_eq!(chunks[0].text(&text).lines().count(), 40);
    }

    #[test]
    fn blank_and_brace_only_gaps_make_no_chunk() {
        assert!(chunk_file("a.txt", "\n\n  }\n\n", &ChunkLimits::default()).is_empty());
        assert!(chunk_file("a.txt", "", &ChunkLimits::default()).is_empty());
    }
}
