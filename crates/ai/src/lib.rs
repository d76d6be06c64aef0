//! aura-ai: Aura's AI layer, over plain data and the store.
//!
//! - [`wire`]: one [`wire::Wire`] trait and three formats (OpenAI-compatible chat and
//!   completions, which covers OpenAI, Groq, OpenRouter, Ollama, llama.cpp, LM Studio and
//!   vLLM; Anthropic Messages; Gemini), all streamed as SSE ([`sse`]) and cancellable.
//! - [`Engine`]: the providers of settings plus local servers found on their default
//!   ports; per role an ordered fallback chain whose reasons are reported; retries with
//!   backoff honouring Retry-After; a circuit breaker and rate limits per provider
//!   ([`reliability`]); connect, first-byte and stream-idle timeouts; the answer cache and
//!   the usage log (with cost from the price table) in SQLite; keys from
//!   [`aura_store::Secrets`] only, never logged or stored.
//! - Pure parts, testable alone: [`context`] (prompt assembly in a token budget, with
//!   citations), [`fim`] (fill-in-the-middle prompts), [`edits`] (rewrites as hunks,
//!   applied with a conflict check), [`prompts`].
//!
//! ```no_run
//! # use std::sync::Arc;
//! use aura_ai::{Call, Engine, ModelRole, Prompt, Request, Message, Role};
//! use tokio_util::sync::CancellationToken;
//! let store = aura_store::Store::open_in_memory().unwrap();
//! let engine = Engine::new(Default::default(), Arc::new(aura_store::MemorySecrets::default())).unwrap();
//! let call = Call {
//!     kind: "chat".into(), role: ModelRole::Chat, project: None, use_cache: true,
//!     request: Request { prompt: Prompt::Chat(vec![Message::new(Role::User, "hi")]),
//!                        max_tokens: 64, temperature: None, stop: vec![] },
//! };
//! let answer = engine.run(&store, &call, &CancellationToken::new(), &mut |_| {});
//! ```

mod cache;
pub mod context;
mod discover;
pub mod edits;
mod engine;
mod error;
pub mod fim;
mod health;
pub mod prompts;
pub mod reliability;
pub mod sse;
mod transport;
mod types;
mod usage;
mod util;
pub mod wire;

pub use context::{Assembled, Budget, Citation, ContextItem, ContextKind, estimate_tokens};
pub use edits::{ApplyError, Hunk};
pub use engine::{Answer, Attempt, Call, Engine, Progress};
pub use error::AiError;
pub use health::{HealthReport, KeyState, ProviderInfo};
pub use prompts::EditAction;
pub use reliability::BreakerState;
pub use tokio_util::sync::CancellationToken;
pub use types::{Message, ModelRole, Prompt, Request, Role, StreamEvent, Usage};
pub use usage::{cost, price_for};
pub use util::is_local_url;
