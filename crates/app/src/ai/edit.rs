//! AI edits: the model rewrites a file or a selection, the user reviews the hunks, and
//! accepted ones are written atomically, only over the version the edit was made from
//! (or over a newer one where the hunks' lines are untouched).

use aura_ai::{Call, EditAction, Message, ModelRole, Prompt, Request, Role, edits};
use aura_core::{Error, ErrorCode, RelPath, Result};
use aura_fs::{FileVersion, ReadOptions, WriteMode};

use super::{ChatEvent, EditApplied, EditInput, EditProposal};
use crate::{App, lock};

pub(crate) struct Pending {
    project: String,
    path: String,
    base_version: FileVersion,
    base_text: String,
    encoding: aura_fs::Encoding,
    hunks: Vec<edits::Hunk>,
}

/// Previews kept at once; the oldest goes first.
const MAX_PENDING: usize = 32;

fn line_offsets(text: &str, start_line: u32, end_line: u32) -> Result<(usize, usize)> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let lines = starts.len() - usize::from(text.ends_with('\n'));
    let (s, e) = (start_line as usize, end_line as usize);
    if s == 0 || e < s || e > lines.max(1) {
        return Err(Error::invalid(format!(
            "lines {start_line}-{end_line} are not in the file ({lines} lines)"
        )));
    }
    let begin = starts[s - 1];
    let end = starts.get(e).copied().unwrap_or(text.len());
    Ok((begin, end))
}

impl App {
    /// Runs an edit action and returns its hunks for review (nothing is written).
    pub fn ai_edit_preview(
        &self,
        project: &str,
        input: &EditInput,
        request_id: &str,
        on_event: &mut (dyn FnMut(ChatEvent) + Send),
    ) -> Result<EditProposal> {
        let rel = RelPath::new(&input.path)?;
        if input.action == EditAction::Refine && input.instruction.trim().is_empty() {
            return Err(Error::invalid("Refine needs an instruction"));
        }
        if input.action == EditAction::FixError && input.instruction.trim().is_empty() {
            return Err(Error::invalid(
                "Fix error needs the error text (run the file first)",
            ));
        }
        let running = self.ai_begin(request_id)?;
        let root = self.root(project)?;
        let file = root.read_text(
            &rel,
            &ReadOptions {
                max_edit_bytes: self.settings().max_edit_bytes(),
                read_only: false,
            },
        )?;
        let (begin, end) = match (input.start_line, input.end_line) {
            (Some(s), Some(e)) => line_offsets(&file.text, s, e)?,
            (None, None) => (0, file.text.len()),
            _ => {
                return Err(Error::invalid(
                    "give both start_line and end_line, or neither",
                ));
            }
        };
        let target = &file.text[begin..end];
        let engine = self.ai_engine()?;
        let settings = engine.settings().clone();
        let name = input.path.rsplit('/').next().unwrap_or(&input.path);
        let lang = aura_core::language::language_of(name);
        let user = format!(
            "{}\n\nFile {} ({lang}){}:\n```{lang}\n{target}\n```",
            input.action.instruction(&input.instruction),
            input.path,
            match (input.start_line, input.end_line) {
                (Some(s), Some(e)) => format!(", lines {s}-{e}"),
                _ => String::new(),
            }
        );
        let window = engine.context_window(ModelRole::Edit) as usize;
        let needed =
            aura_ai::estimate_tokens(&user) + aura_ai::estimate_tokens(input.action.system());
        let max_out =
            (settings.max_output_tokens as usize).max(aura_ai::estimate_tokens(target) + 64);
        if needed + max_out > window {
            return Err(Error::new(
                ErrorCode::TooLarge,
                format!(
                    "the code is too large for the model's context window ({window} tokens): select fewer lines"
                ),
            ));
        }
        let call = Call {
            kind: input.action.as_str().to_owned(),
            role: ModelRole::Edit,
            request: Request {
                prompt: Prompt::Chat(vec![
                    Message::new(Role::System, input.action.system()),
                    Message::new(Role::User, user),
                ]),
                max_tokens: u32::try_from(max_out).unwrap_or(u32::MAX),
                temperature: Some(0.0),
                stop: Vec::new(),
            },
            project: Some(project.to_owned()),
            use_cache: false,
        };
        let answer = engine.run(&self.store, &call, &running.token, &mut |p| {
            on_event(super::chat::progress_event(&p));
        })?;
        if !input.action.returns_code() {
            return Ok(EditProposal {
                edit_id: String::new(),
                path: input.path.clone(),
                base_version: file.version.to_string(),
                original: file.text.clone(),
                proposed: file.text,
                hunks: Vec::new(),
                explanation: answer.text.clone(),
                answer: Some(answer),
            });
        }
        let code = edits::extract_code(&answer.text);
        let explanation = answer.text.replace(&code, "").trim().to_owned();
        Ok(self.propose(
            project,
            &input.path,
            file,
            begin,
            end,
            &code,
            explanation,
            Some(answer),
        ))
    }

    /// A proposal from code the user already has (a chat answer's code block): replaces
    /// the lines given (or the whole file) with `code`, for review like any AI edit.
    pub fn ai_edit_from_text(
        &self,
        project: &str,
        path: &str,
        code: &str,
        start_line: Option<u32>,
        end_line: Option<u32>,
    ) -> Result<EditProposal> {
        let rel = RelPath::new(path)?;
        let file = self.root(project)?.read_text(
            &rel,
            &ReadOptions {
                max_edit_bytes: self.settings().max_edit_bytes(),
                read_only: false,
            },
        )?;
        let (begin, end) = match (start_line, end_line) {
            (Some(s), Some(e)) => line_offsets(&file.text, s, e)?,
            (None, None) => (0, file.text.len()),
            _ => {
                return Err(Error::invalid(
                    "give both start_line and end_line, or neither",
                ));
            }
        };
        Ok(self.propose(project, path, file, begin, end, code, String::new(), None))
    }

    #[allow(clippy::too_many_arguments)]
    fn propose(
        &self,
        project: &str,
        path: &str,
        file: aura_fs::TextFile,
        begin: usize,
        end: usize,
        code: &str,
        explanation: String,
        answer: Option<aura_ai::Answer>,
    ) -> EditProposal {
        let proposed = edits::splice(&file.text, begin, end, code);
        let hunks = edits::hunks(&file.text, &proposed);
        let edit_id = uuid::Uuid::new_v4().simple().to_string();
        {
            let mut pending = lock(&self.ai.edits);
            if pending.len() >= MAX_PENDING {
                pending.clear();
            }
            pending.insert(
                edit_id.clone(),
                Pending {
                    project: project.to_owned(),
                    path: path.to_owned(),
                    base_version: file.version.clone(),
                    base_text: file.text.clone(),
                    encoding: file.encoding,
                    hunks: hunks.clone(),
                },
            );
        }
        EditProposal {
            edit_id,
            path: path.to_owned(),
            base_version: file.version.to_string(),
            original: file.text,
            proposed,
            hunks,
            explanation,
            answer,
        }
    }

    /// Writes the accepted hunks of a preview. The file must still hold the lines each
    /// hunk replaces (`Conflict` otherwise, nothing written); the write is atomic and
    /// conditional on the version just read.
    pub fn ai_edit_apply(
        &self,
        project: &str,
        edit_id: &str,
        accepted: &[u32],
    ) -> Result<EditApplied> {
        let pending = lock(&self.ai.edits).remove(edit_id).ok_or_else(|| {
            Error::not_found(format!(
                "edit {edit_id} (already applied, discarded or expired)"
            ))
        })?;
        if pending.project != project {
            return Err(Error::not_found(format!("edit {edit_id}")));
        }
        let rel = RelPath::new(&pending.path)?;
        let root = self.root(project)?;
        let current = root.read_text(
            &rel,
            &ReadOptions {
                max_edit_bytes: self.settings().max_edit_bytes(),
                read_only: false,
            },
        )?;
        let text =
            match edits::apply_rebased(&pending.base_text, &current.text, &pending.hunks, accepted)
            {
                Ok(t) => t,
                Err(e) => {
                    let code = match e {
                        edits::ApplyError::Conflict { .. } => ErrorCode::Conflict,
                        edits::ApplyError::UnknownHunk(_) => ErrorCode::InvalidInput,
                    };
                    // Keep the preview: the user may reject the conflicting hunk and retry.
                    lock(&self.ai.edits).insert(edit_id.to_owned(), pending);
                    return Err(Error::new(code, e.to_string()));
                }
            };
        if current.version != pending.base_version {
            tracing::info!(path = %pending.path, "file changed since the edit preview; hunks still apply");
        }
        let version = root.write_text(
            &rel,
            &text,
            pending.encoding,
            WriteMode::IfVersion(current.version),
        )?;
        self.index_notify(project, &[&pending.path]);
        Ok(EditApplied {
            path: pending.path,
            version: version.to_string(),
            applied: accepted.to_vec(),
            text,
        })
    }

    pub fn ai_edit_discard(&self, edit_id: &str) -> Result<()> {
        lock(&self.ai.edits).remove(edit_id);
        Ok(())
    }
}
