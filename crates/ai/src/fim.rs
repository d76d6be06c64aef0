//! The fill-in-the-middle request of inline completion: the text around the cursor, cut
//! to a budget (the prefix keeps its end, the suffix its start), plus a few snippets from
//! other files as comments at the top of the prefix.

use crate::context::{ContextItem, estimate_tokens};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FimPrompt {
    pub prefix: String,
    pub suffix: String,
    /// Snippet paths that made it in.
    pub snippets: Vec<String>,
}

/// The line-comment marker of a language (Monaco language ids).
pub fn comment_marker(language: &str) -> &'static str {
    match language {
        "python" | "shell" | "ruby" | "perl" | "r" | "toml" | "yaml" | "dockerfile"
        | "makefile" | "powershell" | "elixir" | "julia" => "#",
        "sql" | "lua" | "haskell" => "--",
        "html" | "xml" | "markdown" => "",
        _ => "//",
    }
}

/// Keeps the end of `s` within `tokens`, cutting at a line start.
fn keep_end(s: &str, tokens: usize) -> &str {
    if estimate_tokens(s) <= tokens {
        return s;
    }
    let start = s.len() - (tokens * 3).min(s.len());
    let start = (start..s.len())
        .find(|i| s.is_char_boundary(*i))
        .unwrap_or(s.len());
    match s[start..].find('\n') {
        Some(nl) if start > 0 => &s[start + nl + 1..],
        _ => &s[start..],
    }
}

/// Keeps the start of `s` within `tokens`, cutting at a line end.
fn keep_start(s: &str, tokens: usize) -> &str {
    if estimate_tokens(s) <= tokens {
        return s;
    }
    let mut end = (tokens * 3).min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    match s[..end].rfind('\n') {
        Some(nl) => &s[..=nl],
        None => &s[..end],
    }
}

/// Builds the FIM prompt within `budget` tokens: three quarters for the code around the
/// cursor (two thirds of it before), the rest for snippets.
pub fn build(
    prefix: &str,
    suffix: &str,
    path: &str,
    language: &str,
    snippets: &[ContextItem],
    budget: usize,
) -> FimPrompt {
    let code_budget = budget * 3 / 4;
    let before = keep_end(prefix, code_budget * 2 / 3);
    let after = keep_start(
        suffix,
        code_budget - estimate_tokens(before).min(code_budget),
    );
    let marker = comment_marker(language);
    let mut header = String::new();
    let mut used = Vec::new();
    let mut left = budget.saturating_sub(estimate_tokens(before) + estimate_tokens(after));
    if !marker.is_empty() {
        for s in snippets.iter().filter(|s| s.path != path) {
            let mut block = format!("{marker} Related code from {}:\n", s.path);
            for l in s.content.lines() {
                block.push_str(marker);
                block.push(' ');
                block.push_str(l);
                block.push('\n');
            }
            let cost = estimate_tokens(&block);
            if cost > left {
                continue;
            }
            left -= cost;
            header.push_str(&block);
            used.push(s.path.clone());
        }
        if !header.is_empty() {
            header.push_str(&format!("{marker} Path: {path}\n"));
        }
    }
    FimPrompt {
        prefix: format!("{header}{before}"),
        suffix: after.to_owned(),
        snippets: used,
    }
}

/// Cleans a completion for ghost text: no fences, and not what already follows the cursor.
pub fn clean_completion(text: &str, suffix: &str) -> String {
    let mut t = text.to_owned();
    if let Some(rest) = t.strip_prefix("```") {
        t = rest.split_once('\n').map_or("", |(_, r)| r).to_owned();
        if let Some(i) = t.rfind("```") {
            t.truncate(i);
        }
    }
    // A model may repeat the start of the suffix; drop the overlap at the end.
    let first_suffix_line = suffix.lines().next().unwrap_or("").trim();
    if !first_suffix_line.is_empty()
        && let Some(i) = t.rfind(first_suffix_line)
        && t[i..].trim() == first_suffix_line
    {
        t.truncate(i);
    }
    t
}
