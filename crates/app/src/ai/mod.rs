//! The AI assistant's operations: chat with history per project and context (current
//! file, selection, @file, @codebase), inline completion, AI edits as reviewed hunks,
//! providers, health, keys and usage. The engine (`aura_ai::Engine`) is built on first
//! use from the `[ai]` settings and rebuilt when they change, so an IDE that never uses
//! AI never starts it, and a provider that is down affects nothing else.

mod chat;
mod complete;
mod dto;
mod edit;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use aura_ai::{CancellationToken, Engine};
use aura_core::settings::AiSettings;
use aura_core::settings::ai::valid_provider_id;
use aura_core::{Error, Result};
use aura_store::{KeyringSecrets, Secrets};

pub use dto::*;

use crate::{App, lock};

pub(crate) struct AiState {
    engine: Mutex<Option<(AiSettings, Arc<Engine>)>>,
    secrets: RwLock<Arc<dyn Secrets>>,
    /// Running requests by the caller's id, to cancel them.
    running: Mutex<HashMap<String, CancellationToken>>,
    /// Edit previews waiting for accept/reject, by edit id.
    edits: Mutex<HashMap<String, edit::Pending>>,
    local_ports: Mutex<Option<(u16, u16)>>,
}

impl Default for AiState {
    fn default() -> Self {
        Self {
            engine: Mutex::new(None),
            secrets: RwLock::new(Arc::new(KeyringSecrets)),
            running: Mutex::new(HashMap::new()),
            edits: Mutex::new(HashMap::new()),
            local_ports: Mutex::new(None),
        }
    }
}

/// Removes a request's cancel token when the request ends, however it ends.
pub(crate) struct Running<'a> {
    app: &'a App,
    id: String,
    pub token: CancellationToken,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        lock(&self.app.ai.running).remove(&self.id);
    }
}

fn check_request_id(id: &str) -> Result<()> {
    if id.is_empty()
        || id.len() > 100
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::invalid(format!(
            "request id {id:?}: 1-100 letters, digits, '-' or '_'"
        )));
    }
    Ok(())
}

impl App {
    /// Replaces where API keys are kept (tests use memory; the app the OS keyring).
    pub fn set_secrets(&self, secrets: Arc<dyn Secrets>) {
        *self.ai.secrets.write().unwrap_or_else(|p| p.into_inner()) = secrets;
        *lock(&self.ai.engine) = None;
    }

    /// Probes other ports than Ollama's and llama.cpp's for local servers (tests).
    pub fn ai_set_local_ports(&self, ollama: u16, llamacpp: u16) {
        *lock(&self.ai.local_ports) = Some((ollama, llamacpp));
        *lock(&self.ai.engine) = None;
    }

    fn secrets(&self) -> Arc<dyn Secrets> {
        Arc::clone(&self.ai.secrets.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// The engine for the current settings (built now if they changed).
    pub(crate) fn ai_engine(&self) -> Result<Arc<Engine>> {
        let settings = self.settings().ai;
        let mut slot = lock(&self.ai.engine);
        if let Some((s, e)) = slot.as_ref()
            && *s == settings
        {
            return Ok(Arc::clone(e));
        }
        let mut engine = Engine::new(settings.clone(), self.secrets())?;
        if let Some((o, l)) = *lock(&self.ai.local_ports) {
            engine = engine.with_local_ports(o, l);
        }
        let engine = Arc::new(engine);
        *slot = Some((settings, Arc::clone(&engine)));
        Ok(engine)
    }

    /// Registers a request so `ai_cancel` can stop it.
    pub(crate) fn ai_begin(&self, request_id: &str) -> Result<Running<'_>> {
        check_request_id(request_id)?;
        let token = CancellationToken::new();
        if let Some(old) = lock(&self.ai.running).insert(request_id.to_owned(), token.clone()) {
            old.cancel();
        }
        Ok(Running {
            app: self,
            id: request_id.to_owned(),
            token,
        })
    }

    /// Stops a running chat, completion or edit; its HTTP request is closed. Unknown ids
    /// (already finished) are fine.
    pub fn ai_cancel(&self, request_id: &str) -> Result<bool> {
        check_request_id(request_id)?;
        Ok(match lock(&self.ai.running).get(request_id) {
            Some(t) => {
                t.cancel();
                true
            }
            None => false,
        })
    }

    /// Every provider: configured ones and local servers found answering.
    pub fn ai_providers(&self) -> Result<ProvidersView> {
        let engine = self.ai_engine()?;
        let secrets = self.secrets();
        Ok(ProvidersView {
            enabled: engine.settings().enabled,
            key_store: secrets.backend().to_owned(),
            use_env_keys: engine.settings().use_env_keys,
            providers: engine.providers(),
        })
    }

    /// Pings every provider (model list), with latency and the last error seen.
    pub fn ai_health(&self) -> Result<Vec<aura_ai::HealthReport>> {
        Ok(self.ai_engine()?.health())
    }

    fn provider_secret(&self, provider: &str) -> Result<String> {
        if !valid_provider_id(provider) {
            return Err(Error::invalid(format!(
                "provider id {provider:?} is not valid"
            )));
        }
        let settings = self.settings().ai;
        let p = settings
            .providers
            .iter()
            .find(|p| p.id == provider)
            .ok_or_else(|| {
                Error::not_found(format!("no provider {provider:?} in Settings > AI"))
            })?;
        Ok(p.secret_name())
    }

    /// Stores a provider's API key in the OS keyring. The key never comes back out of
    /// Rust: the UI only sees whether one is set.
    pub fn ai_key_set(&self, provider: &str, key: &str) -> Result<()> {
        let key = key.trim();
        if key.is_empty() || key.len() > 4096 || key.chars().any(char::is_control) {
            return Err(Error::invalid(
                "the key is empty, too long or has control characters",
            ));
        }
        let name = self.provider_secret(provider)?;
        self.secrets().set(&name, key)?;
        tracing::info!(provider, "API key stored");
        Ok(())
    }

    pub fn ai_key_delete(&self, provider: &str) -> Result<()> {
        let name = self.provider_secret(provider)?;
        self.secrets().delete(&name)?;
        tracing::info!(provider, "API key removed");
        Ok(())
    }

    /// Totals per day and model, and the latest calls, since `days` ago (all projects
    /// unless one is given).
    pub fn ai_usage(&self, days: u32, project: Option<&str>) -> Result<UsageView> {
        let since = aura_store::now_ms() - i64::from(days.clamp(1, 3650)) * 86_400_000;
        let filter = aura_store::UsageFilter {
            since_ms: Some(since),
            project_id: project.map(str::to_owned),
        };
        let totals = self.store.ai_usage_totals(&filter)?;
        let recent = self.store.ai_usage_recent(&filter, 100)?;
        Ok(UsageView::from_rows(totals, recent))
    }

    /// Drops every cached answer; returns how many.
    pub fn ai_cache_clear(&self) -> Result<u32> {
        Ok(u32::try_from(self.store.ai_cache_clear()?).unwrap_or(u32::MAX))
    }
}
