//! A tiny tokenizer, to pin how Rust files are chunked.

use std::collections::HashMap;

/// The largest token we accept.
pub const MAX_TOKEN: usize = 64;

/// A token with its position.
#[derive(Debug, Clone)]
pub struct Token {
    pub text: String,
    pub offset: usize,
}

pub enum Mode {
    Words,
    Lines,
}

pub trait Source {
    /// Next chunk of input.
    fn next_chunk(&mut self) -> Option<String>;
    fn reset(&mut self) {}
}

impl<'a> Tokenizer<'a> {
    /// Makes a tokenizer over `text`.
    pub fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.text[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        None
    }
}

macro_rules! token {
    ($t:expr) => {
        Token { text: $t.into(), offset: 0 }
    };
}

pub fn count_words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for w in text.split_whitespace() {
        *counts.entry(w.to_owned()).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(count_words("a a b")["a"], 2);
    }
}
