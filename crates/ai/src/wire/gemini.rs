//! Google Gemini's `models/{model}:streamGenerateContent?alt=sse`.

use serde_json::{Value, json};

use super::openai::clamp;
use super::{Decoder, Target, Wire, fim_as_chat, parse_json, stream_error};
use crate::AiError;
use crate::sse::SseEvent;
use crate::types::{Prompt, Request, Role, StreamEvent};

#[derive(Debug)]
pub struct Gemini;

impl Wire for Gemini {
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
        let contents: Vec<Value> = messages
            .iter()
            .filter(|m| m.role != Role::System)
            .map(|m| {
                let role = if m.role == Role::Assistant {
                    "model"
                } else {
                    "user"
                };
                json!({"role": role, "parts": [{"text": m.content}]})
            })
            .collect();
        let mut config = json!({"maxOutputTokens": req.max_tokens});
        if let Some(temp) = req.temperature {
            config["temperature"] = json!(temp);
        }
        if !req.stop.is_empty() {
            config["stopSequences"] = json!(req.stop);
        }
        let mut body = json!({"contents": contents, "generationConfig": config});
        if !system.is_empty() {
            body["systemInstruction"] = json!({"parts": [{"text": system.join("\n\n")}]});
        }
        // The key goes in a header, never the URL: URLs end up in error messages.
        let mut rb = http
            .post(format!(
                "{}/models/{}:streamGenerateContent?alt=sse",
                t.base_url, t.model
            ))
            .header("accept", "text/event-stream")
            .json(&body);
        if let Some(key) = t.key {
            rb = rb.header("x-goog-api-key", key);
        }
        Ok(rb)
    }

    fn decoder(&self) -> Box<dyn Decoder> {
        Box::new(GeminiDecoder::default())
    }

    fn ping(&self, http: &reqwest::Client, t: &Target<'_>) -> reqwest::RequestBuilder {
        let rb = http.get(format!("{}/models", t.base_url));
        match t.key {
            Some(k) => rb.header("x-goog-api-key", k),
            None => rb,
        }
    }
}

#[derive(Debug, Default)]
struct GeminiDecoder {
    finished: bool,
}

impl Decoder for GeminiDecoder {
    fn event(&mut self, ev: &SseEvent) -> Result<Vec<StreamEvent>, AiError> {
        if ev.data.is_empty() {
            return Ok(Vec::new());
        }
        let v = parse_json(&ev.data)?;
        if let Some(e) = stream_error(&v) {
            return Err(e);
        }
        let Some(candidate) = v.pointer("/candidates/0") else {
            return Err(AiError::Malformed("a chunk without candidates".into()));
        };
        let mut out = Vec::new();
        if let Some(parts) = candidate
            .pointer("/content/parts")
            .and_then(Value::as_array)
        {
            for part in parts {
                if let Some(text) = part.get("text").and_then(Value::as_str)
                    && !text.is_empty()
                {
                    out.push(StreamEvent::Delta(text.to_owned()));
                }
            }
        }
        if let Some(u) = v.get("usageMetadata") {
            out.push(StreamEvent::Usage {
                input: u.get("promptTokenCount").and_then(Value::as_u64).map(clamp),
                output: u
                    .get("candidatesTokenCount")
                    .and_then(Value::as_u64)
                    .map(clamp),
            });
        }
        if candidate.get("finishReason").is_some_and(|f| !f.is_null()) {
            self.finished = true;
        }
        Ok(out)
    }

    fn finish(&mut self) -> Result<(), AiError> {
        if self.finished {
            Ok(())
        } else {
            Err(AiError::Dropped(
                "the stream ended without a finishReason".into(),
            ))
        }
    }
}
