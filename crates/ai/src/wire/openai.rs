//! OpenAI's `chat/completions` and `completions` (and everything that speaks them).

use serde_json::{Value, json};

use super::{Decoder, Target, Wire, parse_json, stream_error};
use crate::AiError;
use crate::sse::SseEvent;
use crate::types::{Prompt, Request, StreamEvent};

#[derive(Debug)]
pub struct OpenAi;

impl Wire for OpenAi {
    fn request(
        &self,
        http: &reqwest::Client,
        t: &Target<'_>,
        req: &Request,
    ) -> Result<reqwest::RequestBuilder, AiError> {
        let (url, mut body) = match &req.prompt {
            Prompt::Chat(messages) => (
                format!("{}/chat/completions", t.base_url),
                json!({
                    "model": t.model,
                    "messages": messages.iter().map(|m| json!({"role": m.role.as_str(), "content": m.content})).collect::<Vec<_>>(),
                }),
            ),
            Prompt::Fim { prefix, suffix } => {
                let body = if t.fim_template == "suffix" {
                    json!({"model": t.model, "prompt": prefix, "suffix": suffix})
                } else {
                    let prompt = t
                        .fim_template
                        .replace("{prefix}", prefix)
                        .replace("{suffix}", suffix);
                    json!({"model": t.model, "prompt": prompt})
                };
                (format!("{}/completions", t.base_url), body)
            }
        };
        body["stream"] = json!(true);
        body["stream_options"] = json!({"include_usage": true});
        body["max_tokens"] = json!(req.max_tokens);
        if let Some(temp) = req.temperature {
            body["temperature"] = json!(temp);
        }
        if !req.stop.is_empty() {
            body["stop"] = json!(req.stop);
        }
        let mut rb = http
            .post(url)
            .header("accept", "text/event-stream")
            .json(&body);
        if let Some(key) = t.key {
            rb = rb.bearer_auth(key);
        }
        Ok(rb)
    }

    fn decoder(&self) -> Box<dyn Decoder> {
        Box::new(OpenAiDecoder::default())
    }

    fn ping(&self, http: &reqwest::Client, t: &Target<'_>) -> reqwest::RequestBuilder {
        let rb = http.get(format!("{}/models", t.base_url));
        match t.key {
            Some(k) => rb.bearer_auth(k),
            None => rb,
        }
    }
}

#[derive(Debug, Default)]
struct OpenAiDecoder {
    finished: bool,
}

impl Decoder for OpenAiDecoder {
    fn event(&mut self, ev: &SseEvent) -> Result<Vec<StreamEvent>, AiError> {
        if ev.data.trim() == "[DONE]" {
            return Ok(vec![StreamEvent::Done]);
        }
        if ev.data.is_empty() {
            return Ok(Vec::new());
        }
        let v = parse_json(&ev.data)?;
        if let Some(e) = stream_error(&v) {
            return Err(e);
        }
        let mut out = Vec::new();
        if let Some(choice) = v
            .get("choices")
            .and_then(Value::as_array)
            .and_then(|c| c.first())
        {
            let text = choice
                .pointer("/delta/content")
                .or_else(|| choice.get("text"))
                .and_then(Value::as_str);
            if let Some(text) = text.filter(|t| !t.is_empty()) {
                out.push(StreamEvent::Delta(text.to_owned()));
            }
            if choice.get("finish_reason").is_some_and(|f| !f.is_null()) {
                self.finished = true;
            }
        } else if v.get("choices").is_none() && v.get("usage").is_none() {
            return Err(AiError::Malformed("a chunk without choices".into()));
        }
        if let Some(u) = v.get("usage").filter(|u| !u.is_null()) {
            out.push(StreamEvent::Usage {
                input: u.get("prompt_tokens").and_then(Value::as_u64).map(clamp),
                output: u
                    .get("completion_tokens")
                    .and_then(Value::as_u64)
                    .map(clamp),
            });
        }
        Ok(out)
    }

    fn finish(&mut self) -> Result<(), AiError> {
        if self.finished {
            Ok(())
        } else {
            Err(AiError::Dropped("the stream ended before [DONE]".into()))
        }
    }
}

pub(crate) fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
