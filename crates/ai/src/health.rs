//! What the providers and health views show: every provider with its key state and
//! breaker, and a ping (an authenticated model list) with its latency.

use std::time::Instant;

use aura_core::settings::ProviderKind;
use serde::Serialize;
use specta::Type;

use crate::engine::{Engine, Provider};
use crate::reliability::BreakerState;
use crate::transport::{map_send_error, status_error};
use crate::util::{is_local_url, millis};
use crate::wire::Target;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum KeyState {
    Set,
    NotSet,
    /// A local server: no key needed.
    NotNeeded,
    /// The keyring cannot be reached (and no environment variable stands in).
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInfo {
    pub id: String,
    pub kind: ProviderKind,
    pub base_url: String,
    pub model: String,
    pub fim_model: String,
    /// Found answering on its default port, not configured.
    pub detected: bool,
    pub key: KeyState,
    pub breaker: BreakerState,
    pub last_error: Option<String>,
    pub last_ok_ms: Option<i64>,
    pub last_latency_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    pub provider: ProviderInfo,
    pub ok: bool,
    pub latency_ms: u64,
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl Engine {
    fn info(&self, p: &Provider) -> ProviderInfo {
        let key = if p.detected {
            KeyState::NotNeeded
        } else {
            match self.secrets().get(&p.cfg.secret_name()) {
                Ok(Some(_)) => KeyState::Set,
                Ok(None) if is_local_url(&p.cfg.base_url) => KeyState::NotNeeded,
                Ok(None) => KeyState::NotSet,
                Err(_) if is_local_url(&p.cfg.base_url) => KeyState::NotNeeded,
                Err(_) => KeyState::Unavailable,
            }
        };
        let rec = p.health.lock().unwrap_or_else(|e| e.into_inner()).clone();
        ProviderInfo {
            id: p.cfg.id.clone(),
            kind: p.cfg.kind,
            base_url: p.cfg.base_url.clone(),
            model: p.cfg.model.clone(),
            fim_model: p.cfg.fim_model.clone(),
            detected: p.detected,
            key,
            breaker: p
                .breaker
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .state(Instant::now()),
            last_error: rec.last_error,
            last_ok_ms: rec.last_ok_ms,
            last_latency_ms: rec.last_latency_ms,
        }
    }

    /// Every provider (configured, then detected), without contacting them beyond the
    /// local-server probe.
    pub fn providers(&self) -> Vec<ProviderInfo> {
        self.block_on(async {
            self.all_providers()
                .await
                .iter()
                .map(|p| self.info(p))
                .collect()
        })
    }

    /// Pings every provider at once.
    pub fn health(&self) -> Vec<HealthReport> {
        self.block_on(async {
            let all = self.all_providers().await;
            let pings = all.iter().map(|p| self.ping(p));
            futures_util::future::join_all(pings).await
        })
    }

    async fn ping(&self, p: &Provider) -> HealthReport {
        let started = Instant::now();
        let key = self.key_for(p).ok().flatten();
        let target = Target {
            base_url: p.cfg.base_url.trim_end_matches('/'),
            model: &p.cfg.model,
            key: key.as_deref(),
            fim_template: &p.cfg.fim_template,
        };
        let timeout =
            std::time::Duration::from_millis(u64::from(self.settings().connect_timeout_ms) + 2_000);
        let sent = tokio::time::timeout(timeout, p.wire.ping(self.http(), &target).send()).await;
        let (ok, status, error) = match sent {
            Err(_) => (false, None, Some("timed out".to_owned())),
            Ok(Err(e)) => (false, None, Some(map_send_error(&e).to_string())),
            Ok(Ok(resp)) if resp.status().is_success() => {
                (true, Some(resp.status().as_u16()), None)
            }
            Ok(Ok(resp)) => {
                let code = resp.status().as_u16();
                (
                    false,
                    Some(code),
                    Some(status_error(resp, key.as_deref()).await.to_string()),
                )
            }
        };
        HealthReport {
            provider: self.info(p),
            ok,
            latency_ms: millis(started.elapsed()),
            status,
            error,
        }
    }
}
