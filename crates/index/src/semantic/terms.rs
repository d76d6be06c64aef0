//! Words for BM25 and the text each chunk is embedded as.
//!
//! FTS5 is fed terms from the same code tokenizer as the full-text index (identifiers whole
//! and split at camelCase / snake_case), so `parse config` finds `parseConfig` and
//! `parse_config`; queries go through the same tokenizer, without English filler words.

use crate::chunk::{Chunk, ChunkKind};
use crate::tokenizer::tokenize;

use super::db::Terms;
use super::embed::MODEL_ID;

/// Words that carry no meaning in a question about code ("where do we ...").
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how",
    "i", "in", "is", "it", "its", "me", "my", "of", "on", "or", "should", "that", "the", "this",
    "to", "was", "we", "what", "when", "where", "which", "who", "why", "will", "with", "you",
    "code", "function", "find", "show", "get",
];

fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() / 2);
    for t in tokenize(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.text);
    }
    out
}

/// The BM25 columns of a chunk.
pub fn chunk_terms(path: &str, chunk: &Chunk, content: &str) -> Terms {
    let mut name = String::new();
    for part in [&chunk.parent, &chunk.symbol].into_iter().flatten() {
        name.push_str(part);
        name.push(' ');
    }
    Terms {
        name: words(&name),
        path: words(path),
        body: words(content),
    }
}

/// An FTS5 match expression for a user's query: its distinct words, any of them. `None`
/// when nothing searchable is left.
pub fn match_expression(query: &str) -> Option<String> {
    let mut seen = Vec::<String>::new();
    for t in tokenize(query) {
        let w = t.text;
        if w.chars().count() < 2 || STOP_WORDS.contains(&w.as_str()) || seen.contains(&w) {
            continue;
        }
        seen.push(w);
    }
    if seen.is_empty() {
        return None;
    }
    // Quoted, so FTS5 reads each as a plain term (never as an operator or column name).
    Some(
        seen.iter()
            .map(|w| format!("\"{}\"", w.replace('"', "")))
            .collect::<Vec<_>>()
            .join(" OR "),
    )
}

/// What the model reads for a chunk: where it is and what it is called, then its code.
pub fn embed_text(
    path: &str,
    kind: ChunkKind,
    parent: Option<&str>,
    symbol: Option<&str>,
    content: &str,
) -> String {
    let name = match (parent, symbol) {
        (Some(p), Some(s)) => format!("{} {p}::{s}", kind.as_str()),
        (None, Some(s)) => format!("{} {s}", kind.as_str()),
        _ => String::new(),
    };
    format!("{path}\n{name}\n{content}")
}

/// The cache key of an embedding: the model and exactly what it read.
pub fn embed_key(text: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(MODEL_ID.as_bytes());
    h.update(&[0]);
    h.update(text.as_bytes());
    h.finalize().to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_keep_code_words_and_drop_filler() {
        let q = match_expression("Where do we parse the HTTP request headers?").unwrap();
        assert_eq!(q, "\"parse\" OR \"http\" OR \"request\" OR \"headers\"");
        assert_eq!(match_expression("where is the"), None);
        let q = match_expression("parseConfig").unwrap();
        assert!(
            q.contains("\"parseconfig\"") && q.contains("\"config\""),
            "{q}"
        );
    }

    #[test]
    fn quotes_cannot_break_the_expression() {
        let q = match_expression("say \"hi\" NEAR(x)").unwrap();
        assert!(!q.contains("\"\""), "{q}");
        assert!(q.contains("\"near\""));
    }

    #[test]
    fn the_key_changes_with_the_text() {
        assert_ne!(embed_key("a"), embed_key("b"));
        assert_eq!(embed_key("a"), embed_key("a"));
    }
}
