//! Golden tests of the chunker: one real source file per grammar, its chunks pinned in a
//! `.golden` file next to it (`start-end kind parent::symbol | first line`). Run with
//! `AURA_UPDATE_GOLDEN=1` to rewrite them after a deliberate change, then read the diff.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use aura_index::chunk::{ChunkKind, ChunkLimits, chunk_file};

fn render(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/chunker")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    for c in chunk_file(name, &text, &ChunkLimits::default()) {
        let who = match (&c.parent, &c.symbol) {
            (Some(p), Some(s)) => format!("{p}::{s}"),
            (None, Some(s)) => s.clone(),
            (Some(p), None) => format!("{p}::?"),
            (None, None) => "-".to_owned(),
        };
        let first = c.text(&text).lines().next().unwrap_or("").trim();
        out.push_str(&format!(
            "{}-{} {} {who} | {first}\n",
            c.line_start,
            c.line_end,
            c.kind.as_str()
        ));
    }
    out
}

fn check(name: &str) {
    let fresh = render(name);
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/chunker")
        .join(format!("{name}.golden"));
    if std::env::var_os("AURA_UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &fresh).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        expected == fresh,
        "chunks of {name} changed (AURA_UPDATE_GOLDEN=1 rewrites {}):\n--- expected\n{expected}--- got\n{fresh}",
        golden.display()
    );
}

#[test]
fn rust() {
    check("sample.rs");
}
#[test]
fn python() {
    check("sample.py");
}
#[test]
fn javascript() {
    check("sample.js");
}
#[test]
fn typescript() {
    check("sample.ts");
}
#[test]
fn tsx() {
    check("sample.tsx");
}
#[test]
fn go() {
    check("sample.go");
}
#[test]
fn java() {
    check("Sample.java");
}
#[test]
fn c() {
    check("sample.c");
}
#[test]
fn cpp() {
    check("sample.cpp");
}

/// A function longer than the limit is split into overlapping windows that keep its name;
/// every line of the file is in some chunk.
#[test]
fn long_definitions_are_split_and_keep_their_name() {
    let body: String = (0..150).map(|i| format!("    let v{i} = {i};\n")).collect();
    let text = format!("use std::io;\n\nfn big() {{\n{body}}}\n\nfn small() {{}}\n");
    let limits = ChunkLimits::default();
    let chunks = chunk_file("big.rs", &text, &limits);
    let big: Vec<_> = chunks
        .iter()
        .filter(|c| c.symbol.as_deref() == Some("big"))
        .collect();
    assert!(big.len() >= 3, "{chunks:#?}");
    assert!(big.iter().all(|c| c.kind == ChunkKind::Function));
    assert!(
        big.iter()
            .all(|c| c.line_end - c.line_start < limits.max_lines)
    );
    assert!(
        big.windows(2).all(|w| w[1].line_start <= w[0].line_end),
        "windows overlap"
    );
    assert_eq!(big.first().unwrap().line_start, 3);
    assert_eq!(big.last().unwrap().line_end, 154);
    let total = text.lines().count() as u32;
    for line in 1..=total {
        let blank = text
            .lines()
            .nth(line as usize - 1)
            .unwrap()
            .trim()
            .is_empty();
        let covered = chunks
            .iter()
            .any(|c| c.line_start <= line && line <= c.line_end);
        assert!(blank || covered, "line {line} is in no chunk");
    }
    assert!(chunks.iter().any(|c| c.symbol.as_deref() == Some("small")));
}

/// A file the grammar cannot make sense of still yields chunks covering its text.
#[test]
fn broken_source_still_chunks() {
    let text = "fn broken( {\n  let x = ;\n}}}\nfn fine() { 1 }\n";
    let chunks = chunk_file("broken.rs", text, &ChunkLimits::default());
    assert!(!chunks.is_empty());
    assert!(chunks.iter().any(|c| c.text(text).contains("fine")));
}
