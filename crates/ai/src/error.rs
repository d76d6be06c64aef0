//! Why a provider call failed, in terms the fallback chain and the user can act on.

use std::time::Duration;

use aura_core::{Error, ErrorCode};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AiError {
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("timed out {0}")]
    Timeout(&'static str),
    #[error("rate limited (429){}", retry_after.map(|d| format!(", retry after {}s", d.as_secs_f32())).unwrap_or_default())]
    RateLimited { retry_after: Option<Duration> },
    #[error("server error {status}: {message}")]
    Server { status: u16, message: String },
    /// 4xx other than 429: bad key, unknown model, bad request. Retrying will not help.
    #[error("rejected {status}: {message}")]
    Rejected { status: u16, message: String },
    #[error("malformed stream: {0}")]
    Malformed(String),
    #[error("the stream broke off: {0}")]
    Dropped(String),
    #[error("cancelled")]
    Cancelled,
    #[error("no API key for provider {0}: set one in Settings > AI")]
    MissingKey(String),
    #[error("circuit open after repeated failures; next try in {0}s")]
    CircuitOpen(u64),
    #[error("{0}")]
    NoProvider(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Internal(String),
}

impl AiError {
    /// Worth another try at the same provider (after a pause).
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::Server { .. }
                | Self::Dropped(_)
                | Self::Timeout("waiting for the first byte")
        )
    }

    /// Counts against the provider's circuit breaker (the provider, not the request or
    /// the user, is at fault).
    pub fn is_provider_fault(&self) -> bool {
        matches!(
            self,
            Self::Connect(_)
                | Self::Timeout(_)
                | Self::Server { .. }
                | Self::Malformed(_)
                | Self::Dropped(_)
        )
    }

    /// A short reason for the fallback list in the UI.
    pub fn reason(&self) -> String {
        match self {
            Self::Connect(_) => "connection refused".into(),
            Self::Timeout(what) => format!("timeout ({what})"),
            Self::RateLimited { .. } => "429 rate limited".into(),
            Self::Server { status, .. } => format!("{status} server error"),
            Self::Rejected { status, .. } => format!("{status} rejected"),
            Self::Malformed(_) => "malformed stream".into(),
            Self::Dropped(_) => "stream dropped".into(),
            Self::Cancelled => "cancelled".into(),
            Self::MissingKey(_) => "no API key".into(),
            Self::CircuitOpen(_) => "circuit open".into(),
            Self::NoProvider(_) => "no provider".into(),
            Self::Invalid(_) => "invalid request".into(),
            Self::Internal(_) => "internal error".into(),
        }
    }
}

impl From<AiError> for Error {
    fn from(e: AiError) -> Self {
        let code = match &e {
            AiError::Cancelled => ErrorCode::Cancelled,
            AiError::Invalid(_) => ErrorCode::InvalidInput,
            AiError::Internal(_) => ErrorCode::Internal,
            _ => ErrorCode::ProviderUnavailable,
        };
        Error::new(code, e.to_string())
    }
}

impl From<aura_store::StoreError> for AiError {
    fn from(e: aura_store::StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}
