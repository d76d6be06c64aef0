//! Context assembly over plain data: the current file, the selection, @file mentions and
//! @codebase chunks become one prompt that fits the model's context window, most
//! important first, with a citation (path:lines) for everything included.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::types::{Message, Role};

/// Tokens are estimated, not counted (no tokenizer per model): one per three bytes is
/// above what BPE tokenizers produce for code and prose, so the estimate errs on the
/// side of a prompt that fits.
pub fn estimate_tokens(s: &str) -> usize {
    s.len().div_ceil(3)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ContextKind {
    Selection,
    CurrentFile,
    /// An @file mention.
    File,
    /// A chunk from @codebase retrieval.
    Codebase,
    /// An error message (Fix error).
    Error,
}

impl ContextKind {
    /// Lower goes first when the budget is tight.
    fn rank(self) -> u8 {
        match self {
            Self::Error => 0,
            Self::Selection => 1,
            Self::CurrentFile => 2,
            Self::File => 3,
            Self::Codebase => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContextItem {
    pub kind: ContextKind,
    pub path: String,
    /// 1-based, inclusive.
    pub line_start: u32,
    pub line_end: u32,
    pub content: String,
    /// Retrieval score (codebase chunks), higher is better.
    pub score: Option<f32>,
}

/// What the prompt was built from, for the chips and citations in the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Citation {
    pub kind: ContextKind,
    pub path: String,
    pub line_start: u32,
    pub line_end: u32,
    /// Cut to fit the budget.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assembled {
    pub messages: Vec<Message>,
    pub citations: Vec<Citation>,
    /// Context items and history turns left out for lack of room.
    pub dropped_items: usize,
    pub dropped_turns: usize,
    pub estimated_tokens: usize,
}

/// Room for the prompt: the window minus the answer.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub context_window: usize,
    pub max_output: usize,
}

impl Budget {
    pub fn prompt_tokens(self) -> usize {
        // A small margin for per-message framing tokens the estimate does not see.
        self.context_window
            .saturating_sub(self.max_output)
            .saturating_mul(95)
            / 100
    }
}

fn fence(item: &ContextItem, content: &str) -> String {
    let label = match item.kind {
        ContextKind::Selection => "Selected code",
        ContextKind::CurrentFile => "Current file",
        ContextKind::File => "File",
        ContextKind::Codebase => "From the codebase",
        ContextKind::Error => "Error",
    };
    format!(
        "{label} {}:{}-{}\n```\n{}\n```\n",
        item.path, item.line_start, item.line_end, content
    )
}

/// Keeps whole lines of `content` within `tokens`; returns the text and the last line kept.
fn trim_lines(content: &str, tokens: usize, first_line: u32) -> Option<(String, u32)> {
    let mut out = String::new();
    let mut line = first_line;
    for (i, l) in content.lines().enumerate() {
        if estimate_tokens(&out) + estimate_tokens(l) + 1 > tokens {
            break;
        }
        out.push_str(l);
        out.push('\n');
        line = first_line + u32::try_from(i).unwrap_or(u32::MAX);
    }
    (!out.is_empty()).then(|| (out.trim_end_matches('\n').to_owned(), line))
}

/// Builds the messages: system prompt, as much history as fits (newest kept), then the
/// user turn with the context items that fit (by kind, then score), then the question.
/// Errs if the system prompt and the question alone do not fit.
pub fn assemble(
    system: &str,
    history: &[Message],
    question: &str,
    mut items: Vec<ContextItem>,
    budget: Budget,
) -> Result<Assembled, crate::AiError> {
    let limit = budget.prompt_tokens();
    let fixed = estimate_tokens(system) + estimate_tokens(question);
    if fixed > limit {
        return Err(crate::AiError::Invalid(format!(
            "the question is too long for the model's context window (about {fixed} tokens, room for {limit})"
        )));
    }
    let mut left = limit - fixed;
    items.sort_by(|a, b| {
        a.kind.rank().cmp(&b.kind.rank()).then(
            b.score
                .unwrap_or(0.0)
                .partial_cmp(&a.score.unwrap_or(0.0))
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    let mut context = String::new();
    let mut citations = Vec::new();
    let mut dropped_items = 0;
    for item in &items {
        let whole = fence(item, &item.content);
        let cost = estimate_tokens(&whole);
        if cost <= left {
            left -= cost;
            context.push_str(&whole);
            citations.push(Citation {
                kind: item.kind,
                path: item.path.clone(),
                line_start: item.line_start,
                line_end: item.line_end,
                truncated: false,
            });
            continue;
        }
        // The selection, the current file and an error are worth a partial copy; a
        // retrieved chunk is not.
        let framing = estimate_tokens(&fence(item, ""));
        let partial = (item.kind != ContextKind::Codebase && left > framing + 16)
            .then(|| trim_lines(&item.content, left - framing, item.line_start))
            .flatten();
        match partial {
            Some((text, last)) => {
                let part = ContextItem {
                    line_end: last,
                    ..item.clone()
                };
                let block = fence(&part, &text);
                left = left.saturating_sub(estimate_tokens(&block));
                context.push_str(&block);
                citations.push(Citation {
                    kind: item.kind,
                    path: item.path.clone(),
                    line_start: item.line_start,
                    line_end: last,
                    truncated: true,
                });
            }
            None => dropped_items += 1,
        }
    }
    // History, newest first, while it fits.
    let mut kept: Vec<Message> = Vec::new();
    let mut dropped_turns = 0;
    for m in history.iter().rev() {
        let cost = estimate_tokens(&m.content) + 4;
        if dropped_turns == 0 && cost <= left {
            left -= cost;
            kept.push(m.clone());
        } else {
            dropped_turns += 1;
        }
    }
    kept.reverse();
    let user = if context.is_empty() {
        question.to_owned()
    } else {
        format!("{context}\n{question}")
    };
    let mut messages = vec![Message::new(Role::System, system)];
    messages.extend(kept);
    messages.push(Message::new(Role::User, user));
    let estimated_tokens = messages.iter().map(|m| estimate_tokens(&m.content)).sum();
    Ok(Assembled {
        messages,
        citations,
        dropped_items,
        dropped_turns,
        estimated_tokens,
    })
}
