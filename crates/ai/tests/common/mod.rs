//! Shared set-up: engines pointed at the local test provider server.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use aura_ai::{Answer, Call, CancellationToken, Engine, Message, ModelRole, Prompt, Request, Role};
use aura_core::settings::{AiSettings, ProviderKind, ProviderSettings};
use aura_store::{MemorySecrets, Store};

pub fn provider(id: &str, kind: ProviderKind, base_url: String) -> ProviderSettings {
    ProviderSettings {
        id: id.into(),
        kind,
        base_url,
        model: format!("{id}-model"),
        ..ProviderSettings::default()
    }
}

/// Settings with these providers, no local detection, no retries, fast timeouts.
pub fn settings(providers: Vec<ProviderSettings>) -> AiSettings {
    AiSettings {
        detect_local: false,
        providers,
        max_retries: 0,
        request_timeout_ms: 5_000,
        stream_idle_timeout_ms: 5_000,
        ..AiSettings::default()
    }
}

pub fn engine(s: AiSettings) -> (Engine, Arc<MemorySecrets>) {
    let secrets = Arc::new(MemorySecrets::default());
    let e = Engine::new(s, secrets.clone())
        .unwrap()
        .with_backoff_base(Duration::from_millis(20));
    (e, secrets)
}

pub fn chat(text: &str) -> Call {
    Call {
        kind: "chat".into(),
        role: ModelRole::Chat,
        project: None,
        use_cache: false,
        request: Request {
            prompt: Prompt::Chat(vec![
                Message::new(Role::System, "be brief"),
                Message::new(Role::User, text),
            ]),
            max_tokens: 64,
            temperature: None,
            stop: vec![],
        },
    }
}

/// Runs a call, collecting the streamed deltas.
pub fn run(
    e: &Engine,
    store: &Store,
    call: &Call,
) -> (Result<Answer, aura_ai::AiError>, Vec<String>) {
    let mut deltas = Vec::new();
    let r = e.run(store, call, &CancellationToken::new(), &mut |p| {
        if let aura_ai::Progress::Delta(t) = p {
            deltas.push(t.to_owned());
        }
    });
    (r, deltas)
}

/// A port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
