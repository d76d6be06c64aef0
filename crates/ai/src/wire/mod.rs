//! One trait, three wire formats. A [`Wire`] turns a [`Request`] into an HTTP request for
//! its API and hands out a [`Decoder`] that turns the answer's SSE events into
//! [`StreamEvent`]s; the transport (timeouts, cancellation, errors) is shared.

mod anthropic;
mod gemini;
mod openai;

use aura_core::settings::ProviderKind;

use crate::AiError;
use crate::sse::SseEvent;
use crate::types::{Message, Request, Role, StreamEvent};

pub use anthropic::Anthropic;
pub use gemini::Gemini;
pub use openai::OpenAi;

/// Where a request goes.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// Without a trailing slash.
    pub base_url: &'a str,
    pub model: &'a str,
    pub key: Option<&'a str>,
    /// `suffix` or a template with `{prefix}` and `{suffix}`.
    pub fim_template: &'a str,
}

pub trait Wire: Send + Sync {
    /// The streaming HTTP request for `req`.
    fn request(
        &self,
        http: &reqwest::Client,
        target: &Target<'_>,
        req: &Request,
    ) -> Result<reqwest::RequestBuilder, AiError>;
    fn decoder(&self) -> Box<dyn Decoder>;
    /// A cheap authenticated request for the health view (lists models).
    fn ping(&self, http: &reqwest::Client, target: &Target<'_>) -> reqwest::RequestBuilder;
}

pub trait Decoder: Send {
    fn event(&mut self, ev: &SseEvent) -> Result<Vec<StreamEvent>, AiError>;
    /// The body ended; an error if the answer was not complete.
    fn finish(&mut self) -> Result<(), AiError>;
}

pub fn for_kind(kind: ProviderKind) -> Box<dyn Wire> {
    match kind {
        ProviderKind::Openai => Box::new(OpenAi),
        ProviderKind::Anthropic => Box::new(Anthropic),
        ProviderKind::Gemini => Box::new(Gemini),
    }
}

fn parse_json(data: &str) -> Result<serde_json::Value, AiError> {
    serde_json::from_str(data).map_err(|e| {
        AiError::Malformed(format!(
            "not JSON ({e}) in {:?}",
            crate::util::clip(data, 80)
        ))
    })
}

/// Chat-only APIs complete code through an instruction instead of FIM tokens.
fn fim_as_chat(prefix: &str, suffix: &str) -> Vec<Message> {
    vec![
        Message::new(Role::System, crate::prompts::FIM_AS_CHAT),
        Message::new(Role::User, format!("{prefix}<CURSOR>{suffix}")),
    ]
}

/// A provider's error that arrives inside the stream.
fn stream_error(v: &serde_json::Value) -> Option<AiError> {
    let err = v.get("error")?;
    let message = err
        .get("message")
        .and_then(|m| m.as_str())
        .unwrap_or("error event in the stream");
    Some(AiError::Server {
        status: 0,
        message: crate::util::clip(message, 200),
    })
}
