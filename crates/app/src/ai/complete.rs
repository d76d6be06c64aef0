//! Inline completion: fill in the middle at the cursor, with snippets from other files.

use aura_ai::{Call, ModelRole, Prompt, Request, fim};
use aura_core::{Error, RelPath, Result};

use super::{Completion, CompletionInput};
use crate::{App, RetrievalMode, RetrievalQuery};

/// Tokens for the code around the cursor and the snippets; small keeps it fast.
const FIM_BUDGET: usize = 1536;
const FIM_MAX_TOKENS: u32 = 96;
const SNIPPETS: u32 = 3;
const MAX_INPUT: usize = 2 * 1024 * 1024;

/// The query for related snippets: the identifiers on the lines just before the cursor.
fn snippet_query(prefix: &str) -> String {
    let tail: Vec<&str> = prefix.lines().rev().take(3).collect();
    tail.iter()
        .rev()
        .flat_map(|l| l.split(|c: char| !(c.is_alphanumeric() || c == '_')))
        .filter(|w| w.len() > 2)
        .collect::<Vec<_>>()
        .join(" ")
}

impl App {
    /// The FIM prompt of a completion request, retrieval included (also what the
    /// benchmark times).
    pub fn ai_completion_prompt(
        &self,
        project: &str,
        input: &CompletionInput,
    ) -> Result<fim::FimPrompt> {
        RelPath::new(&input.path)?;
        if input.prefix.len() + input.suffix.len() > MAX_INPUT {
            return Err(Error::invalid(
                "the buffer is too large for inline completion",
            ));
        }
        let query = snippet_query(&input.prefix);
        let snippets = if query.is_empty() {
            Vec::new()
        } else {
            let q = RetrievalQuery {
                query,
                k: Some(SNIPPETS + 1),
                mode: RetrievalMode::Bm25,
                path_glob: None,
                language: None,
            };
            match self.retrieve(project, &q) {
                Ok(r) => r
                    .chunks
                    .into_iter()
                    .filter(|c| c.path != input.path)
                    .take(SNIPPETS as usize)
                    .map(|c| aura_ai::ContextItem {
                        kind: aura_ai::ContextKind::Codebase,
                        path: c.path,
                        line_start: c.line_start,
                        line_end: c.line_end,
                        content: c.content,
                        score: Some(c.score),
                    })
                    .collect(),
                Err(e) => {
                    tracing::debug!(error = %e.message, "no snippets for completion");
                    Vec::new()
                }
            }
        };
        Ok(fim::build(
            &input.prefix,
            &input.suffix,
            &input.path,
            &input.language,
            &snippets,
            FIM_BUDGET,
        ))
    }

    /// Ghost text for the cursor. Cached; a new request with the same id cancels this one.
    pub fn ai_complete(
        &self,
        project: &str,
        input: &CompletionInput,
        request_id: &str,
    ) -> Result<Completion> {
        let running = self.ai_begin(request_id)?;
        let settings = self.settings().ai;
        if !settings.inline_completion {
            return Err(Error::invalid(
                "inline completion is turned off (Settings > AI)",
            ));
        }
        let prompt = self.ai_completion_prompt(project, input)?;
        let engine = self.ai_engine()?;
        let call = Call {
            kind: "completion".into(),
            role: ModelRole::Autocomplete,
            request: Request {
                prompt: Prompt::Fim {
                    prefix: prompt.prefix,
                    suffix: prompt.suffix.clone(),
                },
                max_tokens: FIM_MAX_TOKENS,
                temperature: Some(0.0),
                stop: vec!["\n\n\n".into()],
            },
            project: Some(project.to_owned()),
            use_cache: true,
        };
        let answer = engine.run(&self.store, &call, &running.token, &mut |_| {})?;
        Ok(Completion {
            text: fim::clean_completion(&answer.text, &prompt.suffix),
            provider: answer.provider,
            model: answer.model,
            cached: answer.cached,
            snippets: prompt.snippets,
        })
    }
}
