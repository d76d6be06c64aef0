//! The engine: providers from settings (and detected local servers), the fallback chain
//! per role with retries, breakers and limits, the cache and the usage log.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aura_core::settings::{AiSettings, ProviderSettings};
use aura_store::{CachedResponse, EnvFallback, Secrets, Store, UsageRow, now_ms};
use serde::Serialize;
use specta::Type;
use tokio_util::sync::CancellationToken;

use crate::reliability::{Breaker, BreakerState, Limiter, retry_delay};
use crate::transport::{self, Timeouts};
use crate::types::{ModelRole, Prompt, Request, Usage};
use crate::util::{is_local_url, millis};
use crate::wire::{self, Target, Wire};
use crate::{AiError, discover};

/// One provider as the engine runs it.
pub(crate) struct Provider {
    pub cfg: ProviderSettings,
    pub detected: bool,
    pub wire: Box<dyn Wire>,
    pub breaker: Mutex<Breaker>,
    pub limiter: Limiter,
    pub health: Mutex<CallRecord>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct CallRecord {
    pub last_ok_ms: Option<i64>,
    pub last_error: Option<String>,
    pub last_latency_ms: Option<u64>,
}

/// One call to make.
#[derive(Debug, Clone)]
pub struct Call {
    /// For the usage log: `chat`, `completion`, `edit`, `explain`, ...
    pub kind: String,
    pub role: ModelRole,
    pub request: Request,
    pub project: Option<String>,
    /// False bypasses the cache for this request (it is still stored).
    pub use_cache: bool,
}

/// A provider that was tried and why it did not answer.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub provider: String,
    pub model: String,
    /// The short reason (`429 rate limited`, `connection refused`, ...).
    pub reason: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub text: String,
    pub provider: String,
    pub model: String,
    pub usage: Usage,
    pub cost_usd: f64,
    pub cached: bool,
    pub latency_ms: u64,
    pub first_token_ms: Option<u64>,
    /// Providers tried before this one answered.
    pub fallbacks: Vec<Attempt>,
}

/// What happens while a call runs, for the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress<'a> {
    /// Sending to this provider (the first try, a retry or the next in the chain). Text
    /// streamed before from another attempt is void.
    Trying {
        provider: &'a str,
        model: &'a str,
    },
    /// This provider failed; the chain moves on.
    Fallback {
        attempt: &'a Attempt,
    },
    /// Waiting before a retry of the same provider.
    Retry {
        provider: &'a str,
        wait: Duration,
        reason: &'a str,
    },
    Delta(&'a str),
}

pub struct Engine {
    settings: AiSettings,
    http: reqwest::Client,
    configured: Vec<Arc<Provider>>,
    detected: Mutex<Option<(Instant, Vec<Arc<Provider>>)>>,
    secrets: Arc<dyn Secrets>,
    rt: tokio::runtime::Runtime,
    backoff_base: Duration,
    local_ports: (u16, u16),
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("providers", &self.configured.len())
            .finish_non_exhaustive()
    }
}

/// How long a local-server probe result is trusted.
const DETECT_TTL: Duration = Duration::from_secs(30);

fn http_client(s: &AiSettings) -> Result<reqwest::Client, AiError> {
    // reqwest is built without a built-in crypto provider: use ring, once per process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_millis(u64::from(s.connect_timeout_ms)))
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(60))
        .user_agent(concat!("aura/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| AiError::Internal(format!("HTTP client: {e}")))
}

fn provider(cfg: ProviderSettings, detected: bool, s: &AiSettings) -> Arc<Provider> {
    Arc::new(Provider {
        wire: wire::for_kind(cfg.kind),
        breaker: Mutex::new(Breaker::new(
            s.breaker_failures,
            Duration::from_secs(u64::from(s.breaker_cooldown_secs)),
        )),
        limiter: Limiter::new(cfg.requests_per_minute, cfg.max_concurrent),
        health: Mutex::default(),
        cfg,
        detected,
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Engine {
    pub fn new(settings: AiSettings, secrets: Arc<dyn Secrets>) -> Result<Self, AiError> {
        settings
            .validate()
            .map_err(|e| AiError::Invalid(e.message))?;
        let secrets: Arc<dyn Secrets> = if settings.use_env_keys {
            let vars = settings
                .providers
                .iter()
                .map(|p| (p.secret_name(), p.key_env().to_owned()))
                .collect();
            Arc::new(EnvFallback::new(secrets, vars))
        } else {
            secrets
        };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("aura-ai")
            .enable_all()
            .build()
            .map_err(|e| AiError::Internal(format!("AI runtime: {e}")))?;
        let configured = settings
            .providers
            .iter()
            .filter(|p| p.enabled)
            .map(|p| provider(p.clone(), false, &settings))
            .collect();
        Ok(Self {
            http: http_client(&settings)?,
            settings,
            configured,
            detected: Mutex::new(None),
            secrets,
            rt,
            backoff_base: Duration::from_millis(250),
            local_ports: (discover::OLLAMA_PORT, discover::LLAMACPP_PORT),
        })
    }

    /// Probe other ports for "local" servers (tests, so a real server on the default port
    /// cannot interfere).
    pub fn with_local_ports(mut self, ollama: u16, llamacpp: u16) -> Self {
        self.local_ports = (ollama, llamacpp);
        self
    }

    /// The first pause between retries (doubling after).
    pub fn with_backoff_base(mut self, base: Duration) -> Self {
        self.backoff_base = base;
        self
    }

    pub fn settings(&self) -> &AiSettings {
        &self.settings
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Runs `fut` to completion on the engine's runtime from any thread (a fresh scoped
    /// thread, so it works even when the caller is itself inside an async runtime).
    pub fn block_on<F>(&self, fut: F) -> F::Output
    where
        F: std::future::Future + Send,
        F::Output: Send,
    {
        std::thread::scope(|s| {
            s.spawn(|| self.rt.block_on(fut))
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    }

    /// Configured providers, then the local servers that answer (unless configured).
    pub(crate) async fn all_providers(&self) -> Vec<Arc<Provider>> {
        let mut all = self.configured.clone();
        if !self.settings.detect_local {
            return all;
        }
        let cached = lock(&self.detected)
            .as_ref()
            .filter(|(at, _)| at.elapsed() < DETECT_TTL)
            .map(|(_, list)| list.clone());
        let detected = match cached {
            Some(list) => list,
            None => {
                let found =
                    discover::probe(&self.http, self.local_ports.0, self.local_ports.1).await;
                let list: Vec<Arc<Provider>> = found
                    .into_iter()
                    .map(|cfg| provider(cfg, true, &self.settings))
                    .collect();
                *lock(&self.detected) = Some((Instant::now(), list.clone()));
                list
            }
        };
        for d in detected {
            let known = all
                .iter()
                .any(|p| p.cfg.id == d.cfg.id || p.cfg.base_url == d.cfg.base_url);
            if !known {
                all.push(d);
            }
        }
        all
    }

    fn chain(&self, role: ModelRole) -> &[String] {
        let s = &self.settings;
        let own = match role {
            ModelRole::Chat => &s.chat,
            ModelRole::Edit => &s.edit,
            ModelRole::Autocomplete => &s.autocomplete,
            ModelRole::Cheap => &s.cheap,
        };
        if own.is_empty() && matches!(role, ModelRole::Edit | ModelRole::Cheap) {
            &s.chat
        } else {
            own
        }
    }

    /// The (provider, model) pairs a role tries, in order.
    pub(crate) async fn candidates(&self, role: ModelRole) -> Vec<(Arc<Provider>, String)> {
        let all = self.all_providers().await;
        let default_model = |p: &Provider| {
            if role == ModelRole::Autocomplete && !p.cfg.fim_model.is_empty() {
                p.cfg.fim_model.clone()
            } else {
                p.cfg.model.clone()
            }
        };
        let chain = self.chain(role);
        if chain.is_empty() {
            return all
                .iter()
                .map(|p| (Arc::clone(p), default_model(p)))
                .collect();
        }
        chain
            .iter()
            .filter_map(|entry| {
                let (id, model) = match entry.split_once('/') {
                    Some((id, m)) => (id, Some(m.to_owned())),
                    None => (entry.as_str(), None),
                };
                let p = all.iter().find(|p| p.cfg.id == id)?;
                Some((Arc::clone(p), model.unwrap_or_else(|| default_model(p))))
            })
            .collect()
    }

    /// The smallest context window along a role's chain: a prompt built for it fits
    /// whichever provider ends up answering.
    pub fn context_window(&self, role: ModelRole) -> u32 {
        self.block_on(async {
            self.candidates(role)
                .await
                .iter()
                .map(|(p, _)| p.cfg.context_window)
                .min()
                .unwrap_or(8192)
        })
    }

    /// The key for a provider: `None` for a local server without one.
    pub(crate) fn key_for(&self, p: &Provider) -> Result<Option<String>, AiError> {
        if p.detected {
            return Ok(None);
        }
        let local = is_local_url(&p.cfg.base_url);
        match self.secrets.get(&p.cfg.secret_name()) {
            Ok(Some(k)) => Ok(Some(k)),
            Ok(None) if local => Ok(None),
            Ok(None) => Err(AiError::MissingKey(p.cfg.id.clone())),
            Err(_) if local => Ok(None),
            Err(e) => Err(AiError::MissingKey(format!("{} ({e})", p.cfg.id))),
        }
    }

    pub(crate) fn secrets(&self) -> &Arc<dyn Secrets> {
        &self.secrets
    }

    fn timeouts(&self) -> Timeouts {
        Timeouts {
            request: Duration::from_millis(u64::from(self.settings.request_timeout_ms)),
            idle: Duration::from_millis(u64::from(self.settings.stream_idle_timeout_ms)),
        }
    }

    /// Runs a call (blocking the caller until the answer is complete).
    pub fn run(
        &self,
        store: &Store,
        call: &Call,
        cancel: &CancellationToken,
        on: &mut (dyn FnMut(Progress<'_>) + Send),
    ) -> Result<Answer, AiError> {
        self.block_on(self.run_async(store, call, cancel, on))
    }

    pub async fn run_async(
        &self,
        store: &Store,
        call: &Call,
        cancel: &CancellationToken,
        on: &mut (dyn FnMut(Progress<'_>) + Send),
    ) -> Result<Answer, AiError> {
        if !self.settings.enabled {
            return Err(AiError::NoProvider(
                "AI is turned off (Settings > AI > enabled)".into(),
            ));
        }
        let started = Instant::now();
        let candidates = self.candidates(call.role).await;
        if candidates.is_empty() {
            return Err(AiError::NoProvider(
                "No AI provider is configured or reachable. Add one in Settings > AI, or start \
                 Ollama (port 11434) or llama.cpp's server (port 8080) on this machine."
                    .into(),
            ));
        }
        let chain: Vec<(String, String)> = candidates
            .iter()
            .map(|(p, m)| (p.cfg.id.clone(), m.clone()))
            .collect();
        let ttl = i64::from(self.settings.cache_ttl_secs) * 1000;
        let cache_key = crate::cache::key(&call.kind, &chain, &call.request);
        if call.use_cache
            && ttl > 0
            && let Some(hit) = store.ai_cache_get(&cache_key, now_ms())?
        {
            {
                on(Progress::Delta(&hit.response));
                let latency = millis(started.elapsed());
                self.log(
                    store,
                    call,
                    &hit.provider,
                    &hit.model,
                    Usage::default(),
                    latency,
                    Some(latency),
                    None,
                    true,
                );
                return Ok(Answer {
                    text: hit.response,
                    provider: hit.provider,
                    model: hit.model,
                    usage: Usage::default(),
                    cost_usd: 0.0,
                    cached: true,
                    latency_ms: latency,
                    first_token_ms: Some(latency),
                    fallbacks: Vec::new(),
                });
            }
        }
        let estimate_in = u32::try_from(match &call.request.prompt {
            Prompt::Chat(m) => m
                .iter()
                .map(|m| crate::context::estimate_tokens(&m.content))
                .sum(),
            Prompt::Fim { prefix, suffix } => {
                crate::context::estimate_tokens(prefix) + crate::context::estimate_tokens(suffix)
            }
        })
        .unwrap_or(u32::MAX);
        let mut fallbacks: Vec<Attempt> = Vec::new();
        for (p, model) in &candidates {
            match self
                .try_provider(store, call, p, model, cancel, on, estimate_in)
                .await
            {
                Ok(mut answer) => {
                    answer.latency_ms = millis(started.elapsed());
                    answer.fallbacks = fallbacks;
                    if ttl > 0 {
                        let value = CachedResponse {
                            response: answer.text.clone(),
                            provider: answer.provider.clone(),
                            model: answer.model.clone(),
                            created_ms: now_ms(),
                        };
                        if let Err(e) = store.ai_cache_put(&cache_key, &value, now_ms() + ttl) {
                            tracing::warn!(error = %e, "AI answer not cached");
                        }
                    }
                    return Ok(answer);
                }
                Err(AiError::Cancelled) => return Err(AiError::Cancelled),
                Err(e) => {
                    let attempt = Attempt {
                        provider: p.cfg.id.clone(),
                        model: model.clone(),
                        reason: e.reason(),
                        detail: e.to_string(),
                    };
                    on(Progress::Fallback { attempt: &attempt });
                    fallbacks.push(attempt);
                }
            }
        }
        let reasons: Vec<String> = fallbacks
            .iter()
            .map(|a| format!("{}: {}", a.provider, a.detail))
            .collect();
        Err(AiError::NoProvider(format!(
            "no AI provider answered ({})",
            reasons.join("; ")
        )))
    }

    /// One provider with its retries.
    #[allow(clippy::too_many_arguments)]
    async fn try_provider(
        &self,
        store: &Store,
        call: &Call,
        p: &Provider,
        model: &str,
        cancel: &CancellationToken,
        on: &mut (dyn FnMut(Progress<'_>) + Send),
        estimate_in: u32,
    ) -> Result<Answer, AiError> {
        if let Err(wait) = lock(&p.breaker).admit(Instant::now()) {
            return Err(AiError::CircuitOpen(wait.as_secs() + 1));
        }
        let key = match self.key_for(p) {
            Ok(k) => k,
            Err(e) => {
                lock(&p.breaker).release();
                return Err(e);
            }
        };
        let target = Target {
            base_url: p.cfg.base_url.trim_end_matches('/'),
            model,
            key: key.as_deref(),
            fim_template: &p.cfg.fim_template,
        };
        let timeouts = self.timeouts();
        let mut attempt = 0;
        loop {
            let started = Instant::now();
            let result = async {
                let _permit = p.limiter.acquire(cancel, timeouts.request).await?;
                on(Progress::Trying {
                    provider: &p.cfg.id,
                    model,
                });
                let mut forward = |t: &str| on(Progress::Delta(t));
                transport::stream(
                    &self.http,
                    p.wire.as_ref(),
                    &target,
                    &call.request,
                    timeouts,
                    cancel,
                    &mut forward,
                )
                .await
            }
            .await;
            let latency = millis(started.elapsed());
            match result {
                Ok(streamed) => {
                    lock(&p.breaker).success();
                    let usage = streamed.usage_or(estimate_in);
                    let first = streamed.first_token.map(millis);
                    {
                        let mut h = lock(&p.health);
                        h.last_ok_ms = Some(now_ms());
                        h.last_latency_ms = Some(latency);
                    }
                    self.log(
                        store, call, &p.cfg.id, model, usage, latency, first, None, false,
                    );
                    return Ok(Answer {
                        text: streamed.text,
                        provider: p.cfg.id.clone(),
                        model: model.to_owned(),
                        usage,
                        cost_usd: crate::usage::cost(&self.settings.prices, model, usage),
                        cached: false,
                        latency_ms: latency,
                        first_token_ms: first,
                        fallbacks: Vec::new(),
                    });
                }
                Err(e) => {
                    let open = {
                        let mut breaker = lock(&p.breaker);
                        if e.is_provider_fault() {
                            breaker.failure(Instant::now());
                        } else {
                            breaker.release();
                        }
                        breaker.state(Instant::now()) == BreakerState::Open
                    };
                    lock(&p.health).last_error = Some(e.to_string());
                    let reason = e.reason();
                    self.log(
                        store,
                        call,
                        &p.cfg.id,
                        model,
                        Usage::default(),
                        latency,
                        None,
                        Some(&e),
                        false,
                    );
                    if e == AiError::Cancelled {
                        return Err(e);
                    }
                    attempt += 1;
                    let delay =
                        retry_delay(&e, attempt, self.settings.max_retries, self.backoff_base);
                    match delay {
                        Some(wait) if !open => {
                            on(Progress::Retry {
                                provider: &p.cfg.id,
                                wait,
                                reason: &reason,
                            });
                            tokio::select! {
                                () = cancel.cancelled() => return Err(AiError::Cancelled),
                                () = tokio::time::sleep(wait) => {}
                            }
                        }
                        _ => return Err(e),
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn log(
        &self,
        store: &Store,
        call: &Call,
        provider: &str,
        model: &str,
        usage: Usage,
        latency_ms: u64,
        first_token_ms: Option<u64>,
        error: Option<&AiError>,
        cached: bool,
    ) {
        let row = UsageRow {
            at_ms: now_ms(),
            kind: call.kind.clone(),
            provider: provider.to_owned(),
            model: model.to_owned(),
            project_id: call.project.clone(),
            tokens_in: u64::from(usage.tokens_in),
            tokens_out: u64::from(usage.tokens_out),
            cost_usd: if cached {
                0.0
            } else {
                crate::usage::cost(&self.settings.prices, model, usage)
            },
            latency_ms,
            first_token_ms,
            ok: error.is_none(),
            // The reason only: an error's detail may quote a server's words, never ours.
            error: error.map(|e| e.reason()),
            cached,
        };
        if let Err(e) = store.ai_usage_insert(&row) {
            tracing::warn!(error = %e, "AI usage not logged");
        }
    }
}
