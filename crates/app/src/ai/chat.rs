//! Chat: history per project in the database, context from the editor and the index.

use aura_ai::{
    Budget, Call, Citation, ContextItem, ContextKind, Message, ModelRole, Progress, Prompt,
    Request, Role,
};
use aura_core::{Error, ProjectId, RelPath, Result};
use aura_fs::ReadOptions;

use super::{
    ChatContext, ChatEvent, ChatInput, ChatMessageView, ChatMeta, ChatResult, ChatSummary,
};
use crate::{App, RetrievalMode, RetrievalQuery};

/// How many chunks @codebase asks the index for (the budget decides how many go in).
const CODEBASE_K: u32 = 12;
/// Files bigger than this are cut before they even reach the budget.
const MAX_CONTEXT_FILE: usize = 256 * 1024;
const MAX_MESSAGE: usize = 100_000;

fn lines_of(text: &str) -> u32 {
    u32::try_from(text.lines().count().max(1)).unwrap_or(u32::MAX)
}

#[allow(clippy::cast_precision_loss)]
fn ms(v: i64) -> f64 {
    v as f64
}

fn title_of(message: &str) -> String {
    let line = message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("New chat")
        .trim();
    let mut t: String = line.chars().take(60).collect();
    if line.chars().count() > 60 {
        t.push_str("...");
    }
    t
}

/// `@path` words of a message that name files (the UI also sends them explicitly).
fn mentioned_paths(message: &str) -> Vec<String> {
    message
        .split_whitespace()
        .filter_map(|w| w.strip_prefix('@'))
        .map(|w| w.trim_end_matches([',', '.', ';', ':', '?', '!', ')']))
        .filter(|w| !w.is_empty() && *w != "codebase" && RelPath::new(w).is_ok())
        .map(str::to_owned)
        .collect()
}

impl App {
    fn read_for_context(&self, project: &str, path: &str) -> Result<String> {
        let root = self.root(project)?;
        let file = root.read_text(
            &RelPath::new(path)?,
            &ReadOptions {
                max_edit_bytes: MAX_CONTEXT_FILE as u64,
                read_only: true,
            },
        )?;
        let mut text = file.text;
        if text.len() > MAX_CONTEXT_FILE {
            let mut cut = MAX_CONTEXT_FILE;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        Ok(text)
    }

    /// The context items for a question, with a note when @codebase could not be served
    /// in full (no index yet, no embedding model).
    pub(crate) fn gather_context(
        &self,
        project: &str,
        message: &str,
        ctx: &ChatContext,
    ) -> Result<(Vec<ContextItem>, Option<String>)> {
        let mut items = Vec::new();
        let mut notes = Vec::new();
        if let Some(sel) = &ctx.selection {
            RelPath::new(&sel.path)?;
            items.push(ContextItem {
                kind: ContextKind::Selection,
                path: sel.path.clone(),
                line_start: sel.start_line.max(1),
                line_end: sel.end_line.max(sel.start_line.max(1)),
                content: sel.text.clone(),
                score: None,
            });
        }
        if let Some(path) = &ctx.current_file {
            let text = self.read_for_context(project, path)?;
            items.push(ContextItem {
                kind: ContextKind::CurrentFile,
                path: path.clone(),
                line_start: 1,
                line_end: lines_of(&text),
                content: text,
                score: None,
            });
        }
        let mut files = ctx.files.clone();
        for p in mentioned_paths(message) {
            if !files.contains(&p) && self.fs_stat(project, &p).is_ok() {
                files.push(p);
            }
        }
        for path in files
            .iter()
            .filter(|p| Some(*p) != ctx.current_file.as_ref())
        {
            let text = self.read_for_context(project, path)?;
            items.push(ContextItem {
                kind: ContextKind::File,
                path: path.clone(),
                line_start: 1,
                line_end: lines_of(&text),
                content: text,
                score: None,
            });
        }
        if ctx.codebase || message.contains("@codebase") {
            let q = RetrievalQuery {
                query: message.replace("@codebase", " "),
                k: Some(CODEBASE_K),
                mode: RetrievalMode::Hybrid,
                path_glob: None,
                language: None,
            };
            match self.retrieve(project, &q) {
                Ok(r) => {
                    if let Some(n) = r.note {
                        notes.push(n);
                    }
                    items.extend(r.chunks.into_iter().map(|c| ContextItem {
                        kind: ContextKind::Codebase,
                        path: c.path,
                        line_start: c.line_start,
                        line_end: c.line_end,
                        content: c.content,
                        score: Some(c.score),
                    }));
                }
                Err(e) => notes.push(format!("@codebase unavailable: {}", e.message)),
            }
        }
        Ok((items, (!notes.is_empty()).then(|| notes.join("; "))))
    }

    /// Asks the chat model. Events stream to `on_event`; the question and the answer are
    /// saved to the chat's history (a stopped answer is saved as far as it came).
    pub fn ai_chat(
        &self,
        project: &str,
        input: &ChatInput,
        request_id: &str,
        on_event: &mut (dyn FnMut(ChatEvent) + Send),
    ) -> Result<ChatResult> {
        let pid = ProjectId::parse(project)?;
        let message = input.message.trim();
        if message.is_empty() || message.len() > MAX_MESSAGE {
            return Err(Error::invalid(
                "the message is empty or longer than 100 000 bytes",
            ));
        }
        let running = self.ai_begin(request_id)?;
        let engine = self.ai_engine()?;
        let chat = match &input.chat_id {
            Some(id) => self.store.chat_get(&pid, id)?,
            None => self.store.chat_create(
                &uuid::Uuid::new_v4().simple().to_string(),
                &pid,
                &title_of(message),
            )?,
        };
        let history: Vec<Message> = self
            .store
            .chat_messages(&chat.id)?
            .into_iter()
            .filter_map(|m| Role::parse(&m.role).map(|r| Message::new(r, m.content)))
            .filter(|m| !m.content.is_empty())
            .collect();
        let (items, note) = self.gather_context(project, message, &input.context)?;
        let settings = engine.settings().clone();
        let window = engine.context_window(ModelRole::Chat);
        let assembled = aura_ai::context::assemble(
            aura_ai::prompts::CHAT_SYSTEM,
            &history,
            message,
            items,
            Budget {
                context_window: window as usize,
                max_output: settings.max_output_tokens as usize,
            },
        )?;
        let citations = assembled.citations.clone();
        self.store.chat_append(
            &chat.id,
            "user",
            message,
            &serde_json::to_string(&citations).unwrap_or_else(|_| "[]".into()),
            "{}",
        )?;
        on_event(ChatEvent::Started {
            chat_id: chat.id.clone(),
            citations: citations.clone(),
            note,
        });
        let call = Call {
            kind: "chat".into(),
            role: ModelRole::Chat,
            request: Request {
                prompt: Prompt::Chat(assembled.messages),
                max_tokens: settings.max_output_tokens,
                temperature: None,
                stop: Vec::new(),
            },
            project: Some(project.to_owned()),
            use_cache: input.use_cache,
        };
        let mut partial = String::new();
        let result = engine.run(&self.store, &call, &running.token, &mut |p| {
            if let Progress::Trying { .. } = p {
                partial.clear();
            }
            if let Progress::Delta(t) = &p {
                partial.push_str(t);
            }
            on_event(progress_event(&p));
        });
        match result {
            Ok(answer) => {
                let meta = ChatMeta {
                    provider: answer.provider.clone(),
                    model: answer.model.clone(),
                    tokens_in: answer.usage.tokens_in,
                    tokens_out: answer.usage.tokens_out,
                    cost_usd: answer.cost_usd,
                    cached: answer.cached,
                    fallbacks: answer
                        .fallbacks
                        .iter()
                        .map(|f| format!("{}: {}", f.provider, f.reason))
                        .collect(),
                    cancelled: false,
                };
                self.store.chat_append(
                    &chat.id,
                    "assistant",
                    &answer.text,
                    "[]",
                    &serde_json::to_string(&meta).unwrap_or_else(|_| "{}".into()),
                )?;
                Ok(ChatResult {
                    chat_id: chat.id,
                    answer,
                    citations,
                })
            }
            Err(e) => {
                if e == aura_ai::AiError::Cancelled && !partial.is_empty() {
                    let meta = ChatMeta {
                        cancelled: true,
                        ..ChatMeta::default()
                    };
                    self.store.chat_append(
                        &chat.id,
                        "assistant",
                        &partial,
                        "[]",
                        &serde_json::to_string(&meta).unwrap_or_else(|_| "{}".into()),
                    )?;
                }
                Err(e.into())
            }
        }
    }

    /// The project's chats, most recent first.
    pub fn ai_chat_list(&self, project: &str) -> Result<Vec<ChatSummary>> {
        Ok(self
            .store
            .chat_list(&ProjectId::parse(project)?, 200)?
            .into_iter()
            .map(|c| ChatSummary {
                id: c.id,
                title: c.title,
                created_ms: ms(c.created_ms),
                updated_ms: ms(c.updated_ms),
            })
            .collect())
    }

    pub fn ai_chat_messages(&self, project: &str, chat_id: &str) -> Result<Vec<ChatMessageView>> {
        let chat = self.store.chat_get(&ProjectId::parse(project)?, chat_id)?;
        Ok(self
            .store
            .chat_messages(&chat.id)?
            .into_iter()
            .map(|m| ChatMessageView {
                citations: serde_json::from_str::<Vec<Citation>>(&m.context_json)
                    .unwrap_or_default(),
                meta: serde_json::from_str(&m.meta_json)
                    .ok()
                    .filter(|_| m.role == "assistant"),
                role: m.role,
                content: m.content,
                created_ms: ms(m.created_ms),
            })
            .collect())
    }

    pub fn ai_chat_delete(&self, project: &str, chat_id: &str) -> Result<()> {
        Ok(self
            .store
            .chat_delete(&ProjectId::parse(project)?, chat_id)?)
    }
}

pub(crate) fn progress_event(p: &Progress<'_>) -> ChatEvent {
    match p {
        Progress::Trying { provider, model } => ChatEvent::Trying {
            provider: (*provider).to_owned(),
            model: (*model).to_owned(),
        },
        Progress::Fallback { attempt } => ChatEvent::Fallback {
            provider: attempt.provider.clone(),
            model: attempt.model.clone(),
            reason: attempt.reason.clone(),
        },
        Progress::Retry {
            provider,
            wait,
            reason,
        } => ChatEvent::Retry {
            provider: (*provider).to_owned(),
            wait_ms: u32::try_from(wait.as_millis()).unwrap_or(u32::MAX),
            reason: (*reason).to_owned(),
        },
        Progress::Delta(t) => ChatEvent::Delta {
            text: (*t).to_owned(),
        },
    }
}
