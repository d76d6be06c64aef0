//! The instructions Aura sends. Kept together so they can be read and tuned as a whole.

use serde::{Deserialize, Serialize};
use specta::Type;

pub const CHAT_SYSTEM: &str = "You are Aura, a coding assistant inside an IDE. Answer concisely in Markdown. \
Use fenced code blocks with a language tag for code. When you use the provided context, cite it as path:line-line.";

pub const FIM_AS_CHAT: &str = "You complete code. The user's message is a file with <CURSOR> marking the cursor. \
Reply with only the text to insert at <CURSOR>: no explanation, no code fences, nothing that is already there.";

pub const EDIT_SYSTEM: &str = "You edit code. Reply with the complete rewritten code in a single fenced code block \
and nothing else: no explanation before or after it. Keep everything the instruction does not ask to change exactly as it is.";

pub const EXPLAIN_SYSTEM: &str = "You explain code to a developer in Markdown: what it does, how, and anything surprising. Be concise.";

pub const AUDIT_SYSTEM: &str = "You review code for security problems. List each finding with its line, severity, why it matters and a fix, in Markdown. Say so plainly if you find none.";

/// The AI edit actions of the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum EditAction {
    /// A free instruction.
    Refine,
    Refactor,
    Explain,
    AddDocs,
    AddTypes,
    SecurityAudit,
    Optimize,
    /// Fix the given error (from the last run or the terminal).
    FixError,
}

impl EditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Refine => "refine",
            Self::Refactor => "refactor",
            Self::Explain => "explain",
            Self::AddDocs => "add_docs",
            Self::AddTypes => "add_types",
            Self::SecurityAudit => "security_audit",
            Self::Optimize => "optimize",
            Self::FixError => "fix_error",
        }
    }

    /// Explain and the audit answer in prose; the others return code to diff.
    pub fn returns_code(self) -> bool {
        !matches!(self, Self::Explain | Self::SecurityAudit)
    }

    pub fn system(self) -> &'static str {
        match self {
            Self::Explain => EXPLAIN_SYSTEM,
            Self::SecurityAudit => AUDIT_SYSTEM,
            _ => EDIT_SYSTEM,
        }
    }

    /// The instruction for the code, given the user's words (Refine) or the error (Fix).
    pub fn instruction(self, extra: &str) -> String {
        let fixed = match self {
            Self::Refine => return extra.to_owned(),
            Self::Refactor => {
                "Refactor this code for clarity and structure without changing its behaviour."
            }
            Self::Explain => "Explain this code.",
            Self::AddDocs => {
                "Add documentation comments to this code in the language's usual style. Change nothing else."
            }
            Self::AddTypes => {
                "Add type annotations to this code where they are missing. Change nothing else."
            }
            Self::SecurityAudit => "Audit this code for security problems.",
            Self::Optimize => "Make this code faster or leaner without changing its behaviour.",
            Self::FixError => "Fix the code so that this error goes away:",
        };
        if extra.trim().is_empty() {
            fixed.to_owned()
        } else {
            format!("{fixed}\n{extra}")
        }
    }
}
