//! Anthropic's Messages API (`/v1/messages`, SSE events by name).

use serde_json::{Value, json};

use super::openai::clamp;
use super::{Decoder, Target, Wire, fim_as_chat, parse_json};
use crate::AiError;
use crate::sse::SseEvent;
use crate::types::{Prompt, Request, Role, StreamEvent};

pub const API_VERSION: &str = "2023-06-01";

#[derive(Debug)]
pub struct Anthropic;

impl Wire for Anthropic {
    fn request(
        &self,
        http: &reqwest::Client,
        t: &Target<'_>,
        req: &Request,
    ) -> Result<reqwest::RequestBuilder, AiError> {
        let messages = match &req.prompt {
            Prompt::Chat(m) => m.clone(),
            Prompt::Fim { prefix, suffix } => fim_as_chat(prefix, suffix),
        };
        let system: Vec<&str> = messages
            .iter()
            .filter(|m| m.role == Role::System)
            .map(|m| m.content.as_str())
            .collect();
        // The API wants user and assistant turns alternating, starting with the user.
        let mut turns: Vec<(Role, String)> = Vec::new();
        for m in messages.iter().filter(|m| m.role != Role::System) {
            match turns.last_mut() {
                Some((role, text)) if *role == m.role => {
                    text.push_str("\n\n");
                    text.push_str(&m.content);
                }
                _ => turns.push((m.role, m.content.clone())),
            }
        }
        if turns.first().map(|t| t.0) != Some(Role::User) {
            turns.insert(0, (Role::User, "(continue)".into()));
        }
        let mut body = json!({
            "model": t.model,
            "max_tokens": req.max_tokens,
            "stream": true,
            "messages": turns.iter().map(|(r, c)| json!({"role": r.as_str(), "content": c})).collect::<Vec<_>>(),
        });
        if !system.is_empty() {
            body["system"] = json!(system.join("\n\n"));
        }
        if let Some(temp) = req.temperature {
            body["temperature"] = json!(temp);
        }
        if !req.stop.is_empty() {
            body["stop_sequences"] = json!(req.stop);
        }
        let mut rb = http
            .post(format!("{}/messages", t.base_url))
            .header("anthropic-version", API_VERSION)
            .header("accept", "text/event-stream")
            .json(&body);
        if let Some(key) = t.key {
            rb = rb.header("x-api-key", key);
        }
        Ok(rb)
    }

    fn decoder(&self) -> Box<dyn Decoder> {
        Box::new(AnthropicDecoder::default())
    }

    fn ping(&self, http: &reqwest::Client, t: &Target<'_>) -> reqwest::RequestBuilder {
        let rb = http
            .get(format!("{}/models", t.base_url))
            .header("anthropic-version", API_VERSION);
        match t.key {
            Some(k) => rb.header("x-api-key", k),
            None => rb,
        }
    }
}

#[derive(Debug, Default)]
struct AnthropicDecoder {
    stopped: bool,
}

impl Decoder for AnthropicDecoder {
    fn event(&mut self, ev: &SseEvent) -> Result<Vec<StreamEvent>, AiError> {
        if ev.data.is_empty() {
            return Ok(Vec::new());
        }
        let v = parse_json(&ev.data)?;
        let kind = ev
            .event
            .clone()
            .or_else(|| v.get("type").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        Ok(match kind.as_str() {
            "message_start" => vec![StreamEvent::Usage {
                input: v
                    .pointer("/message/usage/input_tokens")
                    .and_then(Value::as_u64)
                    .map(clamp),
                output: None,
            }],
            "content_block_delta" => match v.pointer("/delta/text").and_then(Value::as_str) {
                Some(text) => vec![StreamEvent::Delta(text.to_owned())],
                None if v.pointer("/delta/type").and_then(Value::as_str) == Some("text_delta") => {
                    return Err(AiError::Malformed("a text delta without text".into()));
                }
                None => Vec::new(),
            },
            "message_delta" => vec![StreamEvent::Usage {
                input: None,
                output: v
                    .pointer("/usage/output_tokens")
                    .and_then(Value::as_u64)
                    .map(clamp),
            }],
            "message_stop" => {
                self.stopped = true;
                vec![StreamEvent::Done]
            }
            "error" => {
                let message = v
                    .pointer("/error/message")
                    .and_then(Value::as_str)
                    .unwrap_or("error event");
                return Err(AiError::Server {
                    status: 0,
                    message: crate::util::clip(message, 200),
                });
            }
            _ => Vec::new(),
        })
    }

    fn finish(&mut self) -> Result<(), AiError> {
        if self.stopped {
            Ok(())
        } else {
            Err(AiError::Dropped(
                "the stream ended before message_stop".into(),
            ))
        }
    }
}
