//! Stream assembly per wire format against the local test server, the request shapes
//! (headers, FIM), and what malformed or broken streams turn into.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use aura_ai::{Call, CancellationToken, ModelRole, Progress, Prompt, Request};
use aura_core::settings::ProviderKind;
use aura_store::{Secrets, Store};
use aura_testkit::provider::{Outcome, ProviderServer, Reply, StreamReply};
use common::*;

fn pieces() -> Vec<&'static str> {
    vec!["fn ", "main() ", "{ }", "\n// é ✓"]
}

fn check_stream(kind: ProviderKind, base: &str) -> aura_testkit::provider::Recorded {
    let server = ProviderServer::start();
    server.set_default(Reply::Stream(StreamReply {
        tokens_in: 42,
        tokens_out: 7,
        ..StreamReply::text(&pieces())
    }));
    let (e, secrets) = engine(settings(vec![provider(
        "p",
        kind,
        format!("{}{base}", server.url()),
    )]));
    secrets.set("provider.p", "sk-test-key-123").unwrap();
    let store = Store::open_in_memory().unwrap();
    let (answer, deltas) = run(&e, &store, &chat("hello"));
    let answer = answer.unwrap();
    assert_eq!(deltas, pieces(), "deltas arrive piece by piece, in order");
    assert_eq!(answer.text, pieces().concat());
    assert_eq!(
        (answer.usage.tokens_in, answer.usage.tokens_out),
        (42, 7),
        "usage as reported"
    );
    assert_eq!(
        (answer.provider.as_str(), answer.model.as_str()),
        ("p", "p-model")
    );
    assert!(answer.first_token_ms.is_some());
    // The server marks the request completed once it has written the end, which can be
    // just after the client read it.
    server.wait_until(Duration::from_secs(3), |r| {
        r.len() == 1 && r[0].outcome == Outcome::Completed
    });
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].outcome, Outcome::Completed);
    reqs[0].clone()
}

#[test]
fn openai_chat_stream_with_usage_and_done() {
    let r = check_stream(ProviderKind::Openai, "/v1");
    assert_eq!(r.path, "/v1/chat/completions");
    assert_eq!(r.header("authorization"), Some("Bearer sk-test-key-123"));
    let body = r.json();
    assert_eq!(body["stream"], true);
    assert_eq!(body["stream_options"]["include_usage"], true);
    assert_eq!(body["model"], "p-model");
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1]["content"], "hello");
}

#[test]
fn anthropic_messages_events() {
    let r = check_stream(ProviderKind::Anthropic, "/v1");
    assert_eq!(r.path, "/v1/messages");
    assert_eq!(r.header("x-api-key"), Some("sk-test-key-123"));
    assert_eq!(r.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(r.header("authorization"), None);
    let body = r.json();
    assert_eq!(
        body["system"], "be brief",
        "the system prompt is a field, not a turn"
    );
    assert_eq!(body["messages"].as_array().unwrap().len(), 1);
    assert_eq!(body["messages"][0]["role"], "user");
}

#[test]
fn gemini_stream_generate_content() {
    let r = check_stream(ProviderKind::Gemini, "/v1beta");
    assert_eq!(r.path, "/v1beta/models/p-model:streamGenerateContent");
    assert_eq!(r.query, "alt=sse", "the key is never in the URL");
    assert_eq!(r.header("x-goog-api-key"), Some("sk-test-key-123"));
    let body = r.json();
    assert_eq!(body["systemInstruction"]["parts"][0]["text"], "be brief");
    assert_eq!(body["contents"][0]["role"], "user");
    assert_eq!(body["generationConfig"]["maxOutputTokens"], 64);
}

fn fim_call() -> Call {
    Call {
        kind: "completion".into(),
        role: ModelRole::Autocomplete,
        project: None,
        use_cache: false,
        request: Request {
            prompt: Prompt::Fim {
                prefix: "def add(a, b):\n    ".into(),
                suffix: "\n\nprint(add(1, 2))\n".into(),
            },
            max_tokens: 32,
            temperature: Some(0.0),
            stop: vec!["\n\n".into()],
        },
    }
}

#[test]
fn fim_request_shapes() {
    let server = ProviderServer::start();
    server.set_default(Reply::text("return a + b"));
    // OpenAI's suffix field.
    let mut p = provider("p", ProviderKind::Openai, format!("{}/v1", server.url()));
    p.fim_model = "coder-fim".into();
    let (e, _) = engine(settings(vec![p.clone()]));
    let store = Store::open_in_memory().unwrap();
    let (a, _) = run(&e, &store, &fim_call());
    assert_eq!(a.unwrap().text, "return a + b");
    let r = &server.requests()[0];
    assert_eq!(r.path, "/v1/completions");
    let b = r.json();
    assert_eq!(
        b["model"], "coder-fim",
        "the autocomplete role uses the FIM model"
    );
    assert_eq!(b["prompt"], "def add(a, b):\n    ");
    assert_eq!(b["suffix"], "\n\nprint(add(1, 2))\n");
    assert_eq!(b["stop"][0], "\n\n");
    assert_eq!(b["stream"], true);
    // Explicit FIM tokens in the prompt.
    p.fim_template = "<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>".into();
    let (e, _) = engine(settings(vec![p]));
    run(&e, &store, &fim_call()).0.unwrap();
    let b = server.requests()[1].json();
    assert_eq!(
        b["prompt"],
        "<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>"
    );
    assert!(b.get("suffix").is_none());
}

#[test]
fn cancelling_closes_the_http_request() {
    let server = ProviderServer::start();
    server.set_default(Reply::Stream(StreamReply::text(&["a"; 50]).slow(100)));
    let (e, _) = engine(settings(vec![provider(
        "p",
        ProviderKind::Openai,
        format!("{}/v1", server.url()),
    )]));
    let store = Store::open_in_memory().unwrap();
    let cancel = CancellationToken::new();
    let started = Instant::now();
    let c2 = cancel.clone();
    let mut got = 0;
    let r = e.run(&store, &chat("slow"), &cancel, &mut |p| {
        if let Progress::Delta(_) = p {
            got += 1;
            if got == 2 {
                c2.cancel();
            }
        }
    });
    assert_eq!(r.unwrap_err(), aura_ai::AiError::Cancelled);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "stopped long before the 5 s answer"
    );
    assert!(
        server.wait_until(Duration::from_secs(3), |r| r.len() == 1
            && r[0].outcome == Outcome::ClientClosed),
        "the server saw the client close the connection: {:?}",
        server
            .requests()
            .iter()
            .map(|r| r.outcome)
            .collect::<Vec<_>>()
    );
    // The control: the same stream, not cancelled, completes.
    server.set_default(Reply::Stream(StreamReply::text(&["a"; 3]).slow(10)));
    run(&e, &store, &chat("fast")).0.unwrap();
    // The server records the outcome once it has written the end, which can be just after
    // the client read it.
    assert!(
        server.wait_until(Duration::from_secs(3), |r| r.len() == 2
            && r[1].outcome == Outcome::Completed),
        "{:?}",
        server
            .requests()
            .iter()
            .map(|r| r.outcome)
            .collect::<Vec<_>>()
    );
}

#[test]
fn malformed_and_dropped_streams_are_errors_with_reasons() {
    for (reply, reason) in [
        (
            StreamReply {
                malformed_at: Some(1),
                ..StreamReply::default()
            },
            "malformed stream",
        ),
        (
            StreamReply {
                drop_after: Some(2),
                ..StreamReply::default()
            },
            "stream dropped",
        ),
    ] {
        for kind in [
            ProviderKind::Openai,
            ProviderKind::Anthropic,
            ProviderKind::Gemini,
        ] {
            let server = ProviderServer::start();
            server.set_default(Reply::Stream(reply.clone()));
            let base = if kind == ProviderKind::Gemini {
                "/v1beta"
            } else {
                "/v1"
            };
            let (e, _) = engine(settings(vec![provider(
                "p",
                kind,
                format!("{}{base}", server.url()),
            )]));
            let store = Store::open_in_memory().unwrap();
            let err = run(&e, &store, &chat("x")).0.unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains("p:"), "{kind:?}: {msg}");
            let rows = store.ai_usage_recent(&Default::default(), 5).unwrap();
            assert_eq!(rows[0].error.as_deref(), Some(reason), "{kind:?}: {msg}");
        }
    }
}
