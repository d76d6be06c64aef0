//! One streamed call to one provider: send, check the status, read SSE until the decoder
//! says done. Cancellation and the timeouts are checked at every await; returning early
//! drops the response, which closes the connection.

use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use tokio_util::sync::CancellationToken;

use crate::AiError;
use crate::sse::SseParser;
use crate::types::{Request, StreamEvent, Usage};
use crate::util::{clip, redact};
use crate::wire::{Target, Wire};

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Until the response headers arrive.
    pub request: Duration,
    /// Longest gap between two pieces of the body.
    pub idle: Duration,
}

#[derive(Debug, Clone, Default)]
pub struct Streamed {
    pub text: String,
    /// As reported by the provider (None where it said nothing).
    pub tokens_in: Option<u32>,
    pub tokens_out: Option<u32>,
    pub first_token: Option<Duration>,
}

impl Streamed {
    pub fn usage_or(&self, estimate_in: u32) -> Usage {
        Usage {
            tokens_in: self.tokens_in.unwrap_or(estimate_in),
            tokens_out: self.tokens_out.unwrap_or_else(|| {
                u32::try_from(crate::context::estimate_tokens(&self.text)).unwrap_or(u32::MAX)
            }),
        }
    }
}

pub async fn stream(
    http: &reqwest::Client,
    wire: &dyn Wire,
    target: &Target<'_>,
    req: &Request,
    timeouts: Timeouts,
    cancel: &CancellationToken,
    on_delta: &mut (dyn FnMut(&str) + Send),
) -> Result<Streamed, AiError> {
    let started = Instant::now();
    let send = wire.request(http, target, req)?.send();
    let resp = tokio::select! {
        () = cancel.cancelled() => return Err(AiError::Cancelled),
        r = tokio::time::timeout(timeouts.request, send) => match r {
            Err(_) => return Err(AiError::Timeout("waiting for the first byte")),
            Ok(Err(e)) => return Err(map_send_error(&e)),
            Ok(Ok(resp)) => resp,
        },
    };
    if !resp.status().is_success() {
        return Err(status_error(resp, target.key).await);
    }
    let mut body = resp.bytes_stream();
    let mut parser = SseParser::new();
    let mut decoder = wire.decoder();
    let mut out = Streamed::default();
    let mut handle = |ev: StreamEvent, out: &mut Streamed| -> bool {
        match ev {
            StreamEvent::Delta(t) => {
                out.first_token.get_or_insert_with(|| started.elapsed());
                out.text.push_str(&t);
                on_delta(&t);
                false
            }
            StreamEvent::Usage { input, output } => {
                out.tokens_in = input.or(out.tokens_in);
                out.tokens_out = output.or(out.tokens_out);
                false
            }
            StreamEvent::Done => true,
        }
    };
    loop {
        let next = tokio::select! {
            () = cancel.cancelled() => return Err(AiError::Cancelled),
            n = tokio::time::timeout(timeouts.idle, body.next()) => n,
        };
        match next {
            Err(_) => return Err(AiError::Timeout("stream idle")),
            Ok(Some(Err(e))) => return Err(AiError::Dropped(redact(&e.to_string(), target.key))),
            Ok(Some(Ok(bytes))) => {
                let events = parser.feed(&bytes).map_err(AiError::Malformed)?;
                let mut done = false;
                for ev in &events {
                    for se in decoder.event(ev)? {
                        done |= handle(se, &mut out);
                    }
                }
                if done {
                    return Ok(out);
                }
            }
            Ok(None) => {
                if let Some(ev) = parser.finish() {
                    for se in decoder.event(&ev)? {
                        if handle(se, &mut out) {
                            return Ok(out);
                        }
                    }
                }
                decoder.finish()?;
                return Ok(out);
            }
        }
    }
}

pub(crate) fn map_send_error(e: &reqwest::Error) -> AiError {
    // Refused, unreachable, DNS, TLS: all "cannot connect", with the root cause.
    if e.is_timeout() {
        AiError::Timeout("connecting")
    } else {
        AiError::Connect(root_cause(e))
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// Reads (a little of) an error body into the error the chain acts on.
pub(crate) async fn status_error(resp: reqwest::Response, key: Option<&str>) -> AiError {
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
    let text = tokio::time::timeout(Duration::from_secs(2), resp.text())
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let message = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            v.pointer("/error/message")
                .and_then(|m| m.as_str())
                .map(str::to_owned)
        })
        .unwrap_or(text);
    let message = clip(&redact(&message, key), 200);
    match status {
        429 => AiError::RateLimited { retry_after },
        500..=599 => AiError::Server { status, message },
        _ => AiError::Rejected { status, message },
    }
}
