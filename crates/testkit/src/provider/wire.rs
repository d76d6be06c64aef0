//! The bodies each provider really sends, built from a scripted answer.

use serde_json::{Value, json};

use super::StreamReply;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OpenAiChat,
    OpenAiCompletions,
    Anthropic,
    Gemini,
}

impl Format {
    pub fn of(path: &str) -> Option<Self> {
        if path.ends_with("/chat/completions") {
            Some(Self::OpenAiChat)
        } else if path.ends_with("/completions") {
            Some(Self::OpenAiCompletions)
        } else if path.ends_with("/messages") {
            Some(Self::Anthropic)
        } else if path.contains(":streamGenerateContent") || path.contains(":generateContent") {
            Some(Self::Gemini)
        } else {
            None
        }
    }
}

/// The SSE events of a streamed answer: what comes before the pieces, one event per
/// piece, and what closes the stream.
pub struct Events {
    pub head: Vec<String>,
    pub pieces: Vec<String>,
    pub tail: Vec<String>,
}

fn data(v: &Value) -> String {
    format!("data: {v}\n\n")
}

fn named(event: &str, v: &Value) -> String {
    format!("event: {event}\ndata: {v}\n\n")
}

/// A chunk that starts like the format's JSON and breaks off.
pub fn malformed(format: Format) -> String {
    match format {
        Format::Anthropic => "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\n\n".into(),
        _ => "data: {\"choices\":[{\"delta\":{\"content\":\"oops\"\n\n".into(),
    }
}

pub fn stream(format: Format, r: &StreamReply, model: &str, include_usage: bool) -> Events {
    match format {
        Format::OpenAiChat => {
            let chunk = |delta: Value, finish: Value| {
                data(&json!({
                    "id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0,
                    "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]
                }))
            };
            let mut tail = vec![chunk(json!({}), json!("stop"))];
            if include_usage {
                tail.push(data(&json!({
                    "id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0,
                    "model": model, "choices": [],
                    "usage": {"prompt_tokens": r.tokens_in, "completion_tokens": r.tokens_out,
                              "total_tokens": r.tokens_in + r.tokens_out}
                })));
            }
            tail.push("data: [DONE]\n\n".into());
            Events {
                head: vec![chunk(
                    json!({"role": "assistant", "content": ""}),
                    Value::Null,
                )],
                pieces: r
                    .pieces
                    .iter()
                    .map(|p| chunk(json!({"content": p}), Value::Null))
                    .collect(),
                tail,
            }
        }
        Format::OpenAiCompletions => {
            let chunk = |text: &str, finish: Value| {
                data(&json!({
                    "id": "cmpl-test", "object": "text_completion", "created": 0, "model": model,
                    "choices": [{"index": 0, "text": text, "finish_reason": finish}]
                }))
            };
            let mut tail = vec![chunk("", json!("stop"))];
            if include_usage {
                tail.push(data(&json!({
                    "id": "cmpl-test", "object": "text_completion", "model": model, "choices": [],
                    "usage": {"prompt_tokens": r.tokens_in, "completion_tokens": r.tokens_out,
                              "total_tokens": r.tokens_in + r.tokens_out}
                })));
            }
            tail.push("data: [DONE]\n\n".into());
            Events {
                head: Vec::new(),
                pieces: r.pieces.iter().map(|p| chunk(p, Value::Null)).collect(),
                tail,
            }
        }
        Format::Anthropic => Events {
            head: vec![
                named(
                    "message_start",
                    &json!({"type": "message_start", "message": {
                        "id": "msg_test", "type": "message", "role": "assistant", "model": model,
                        "content": [], "stop_reason": null,
                        "usage": {"input_tokens": r.tokens_in, "output_tokens": 1}}}),
                ),
                named(
                    "content_block_start",
                    &json!({"type": "content_block_start", "index": 0,
                            "content_block": {"type": "text", "text": ""}}),
                ),
                named("ping", &json!({"type": "ping"})),
            ],
            pieces: r
                .pieces
                .iter()
                .map(|p| {
                    named(
                        "content_block_delta",
                        &json!({"type": "content_block_delta", "index": 0,
                                "delta": {"type": "text_delta", "text": p}}),
                    )
                })
                .collect(),
            tail: vec![
                named(
                    "content_block_stop",
                    &json!({"type": "content_block_stop", "index": 0}),
                ),
                named(
                    "message_delta",
                    &json!({"type": "message_delta",
                            "delta": {"stop_reason": "end_turn", "stop_sequence": null},
                            "usage": {"output_tokens": r.tokens_out}}),
                ),
                named("message_stop", &json!({"type": "message_stop"})),
            ],
        },
        Format::Gemini => {
            let n = r.pieces.len();
            Events {
                head: Vec::new(),
                pieces: r
                    .pieces
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let mut v = json!({"candidates": [{"content": {"parts": [{"text": p}],
                                            "role": "model"}, "index": 0}],
                                           "modelVersion": model});
                        if i + 1 == n {
                            v["candidates"][0]["finishReason"] = json!("STOP");
                            v["usageMetadata"] = json!({"promptTokenCount": r.tokens_in,
                                "candidatesTokenCount": r.tokens_out,
                                "totalTokenCount": r.tokens_in + r.tokens_out});
                        }
                        data(&v)
                    })
                    .collect(),
                tail: Vec::new(),
            }
        }
    }
}

/// The whole answer in one JSON body (a request with `"stream": false`).
pub fn whole(format: Format, r: &StreamReply, model: &str) -> Value {
    let text: String = r.pieces.concat();
    match format {
        Format::OpenAiChat => json!({
            "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": r.tokens_in, "completion_tokens": r.tokens_out,
                      "total_tokens": r.tokens_in + r.tokens_out}
        }),
        Format::OpenAiCompletions => json!({
            "id": "cmpl-test", "object": "text_completion", "created": 0, "model": model,
            "choices": [{"index": 0, "text": text, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": r.tokens_in, "completion_tokens": r.tokens_out,
                      "total_tokens": r.tokens_in + r.tokens_out}
        }),
        Format::Anthropic => json!({
            "id": "msg_test", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
            "usage": {"input_tokens": r.tokens_in, "output_tokens": r.tokens_out}
        }),
        Format::Gemini => json!({
            "candidates": [{"content": {"parts": [{"text": text}], "role": "model"},
                            "finishReason": "STOP", "index": 0}],
            "usageMetadata": {"promptTokenCount": r.tokens_in,
                              "candidatesTokenCount": r.tokens_out,
                              "totalTokenCount": r.tokens_in + r.tokens_out}
        }),
    }
}

/// The body of each provider's error answer.
pub fn error_body(format: Option<Format>, code: u16) -> Value {
    let message = format!("test server answered {code}");
    match format {
        Some(Format::Anthropic) => json!({"type": "error",
            "error": {"type": if code == 429 { "rate_limit_error" } else { "api_error" },
                      "message": message}}),
        Some(Format::Gemini) => json!({"error": {"code": code, "message": message,
            "status": if code == 429 { "RESOURCE_EXHAUSTED" } else { "INTERNAL" }}}),
        _ => json!({"error": {"message": message, "type": "server_error", "code": code}}),
    }
}

/// Model lists: OpenAI/Anthropic `GET /v1/models`, Gemini `GET /v1beta/models`, Ollama
/// `GET /api/tags`.
pub fn models(path: &str) -> Option<Value> {
    if path.ends_with("/api/tags") {
        Some(json!({"models": [{"name": "test-model", "model": "test-model"}]}))
    } else if path.ends_with("/v1beta/models") {
        Some(json!({"models": [{"name": "models/test-model"}]}))
    } else if path.ends_with("/models") {
        Some(
            json!({"object": "list", "data": [{"id": "test-model", "object": "model",
                    "type": "model"}]}),
        )
    } else {
        None
    }
}

/// The model a request names (for echoing it back like a real server does).
pub fn requested_model(path: &str, body: &Value) -> String {
    if let Some(m) = body.get("model").and_then(Value::as_str) {
        return m.to_owned();
    }
    // Gemini carries it in the path: /v1beta/models/{model}:streamGenerateContent
    path.rsplit('/')
        .next()
        .and_then(|last| last.split(':').next())
        .unwrap_or("test-model")
        .to_owned()
}
