//! The code-aware tokenizer of the `content` field (for ranked word search, BM25).
//!
//! An identifier is indexed whole and, when it has several parts, part by part:
//! `parseHTTPRequest2` gives `parsehttprequest2`, `parse`, `http`, `request`, `2`;
//! `MAX_SIZE` gives `max_size`, `max`, `size`. Everything is lowercased, so a search for
//! `request` finds `HttpRequest` and `http_request` alike.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name this tokenizer is registered under in the index.
pub const CODE_TOKENIZER: &str = "aura_code";

/// Longer words are hashes or base64 blobs, not something anyone searches by word.
const MAX_WORD_BYTES: usize = 64;

#[derive(Debug, Clone, Copy, Default)]
pub struct CodeTokenizer;

impl Tokenizer for CodeTokenizer {
    type TokenStream<'a> = CodeTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CodeTokenStream {
        CodeTokenStream {
            tokens: tokenize(text),
            next: 0,
        }
    }
}

#[derive(Debug)]
pub struct CodeTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for CodeTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// All tokens of `text`: each word whole, then its parts (if more than one).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut position = 0;
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, is_word_char(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                start = None;
                let word = &text[s..i];
                if word.len() > MAX_WORD_BYTES || word.bytes().all(|b| b == b'_') {
                    continue;
                }
                push(&mut out, word, s, position);
                let parts = split_identifier(word);
                if parts.len() > 1 {
                    for (from, to) in parts {
                        push(&mut out, &word[from..to], s + from, position);
                    }
                }
                position += 1;
            }
            _ => {}
        }
    }
    out
}

fn push(out: &mut Vec<Token>, text: &str, offset: usize, position: usize) {
    out.push(Token {
        offset_from: offset,
        offset_to: offset + text.len(),
        position,
        text: text.to_lowercase(),
        position_length: 1,
    });
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Lower,
    Upper,
    Digit,
    Other,
}

fn class(c: char) -> Class {
    if c.is_lowercase() {
        Class::Lower
    } else if c.is_uppercase() {
        Class::Upper
    } else if c.is_numeric() {
        Class::Digit
    } else {
        Class::Other
    }
}

/// Byte ranges of an identifier's parts: split at `_`, lower→Upper, letter↔digit, and
/// before the last capital of a run followed by lowercase (`HTTPRequest` → HTTP|Request).
pub fn split_identifier(word: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut start: Option<usize> = None;
    for (k, &(i, c)) in chars.iter().enumerate() {
        if c == '_' {
            if let Some(s) = start.take() {
                parts.push((s, i));
            }
            continue;
        }
        let Some(s) = start else {
            start = Some(i);
            continue;
        };
        let prev = class(chars[k - 1].1);
        let cur = class(c);
        let next = chars.get(k + 1).map(|&(_, n)| class(n));
        let boundary = match (prev, cur) {
            (Class::Lower | Class::Other, Class::Upper) => true,
            (Class::Upper, Class::Upper) => next == Some(Class::Lower),
            (Class::Digit, Class::Lower | Class::Upper | Class::Other)
            | (Class::Lower | Class::Upper | Class::Other, Class::Digit) => true,
            _ => false,
        };
        if boundary {
            parts.push((s, i));
            start = Some(i);
        }
    }
    if let Some(s) = start {
        parts.push((s, word.len()));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn identifiers_are_kept_whole_and_split() {
        assert_eq!(
            texts("parseHTTPRequest2"),
            ["parsehttprequest2", "parse", "http", "request", "2"]
        );
        assert_eq!(texts("MAX_SIZE = 3"), ["max_size", "max", "size", "3"]);
        assert_eq!(texts("__init__"), ["__init__"]);
        assert_eq!(texts("x.y"), ["x", "y"]);
        assert_eq!(texts("getV2Name"), ["getv2name", "get", "v", "2", "name"]);
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "let fooBar = 1;";
        for t in tokenize(text) {
            assert_eq!(text[t.offset_from..t.offset_to].to_lowercase(), t.text);
        }
        assert!(texts(&"a".repeat(65)).is_empty());
        assert_eq!(
            texts("Größe ÜberSicht"),
            ["größe", "übersicht", "über", "sicht"]
        );
    }
}
