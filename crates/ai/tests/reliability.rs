//! Fallback order and reasons, Retry-After, the circuit breaker, timeouts, rate limits,
//! local-server detection and the no-provider message, against real HTTP.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use aura_ai::{AiError, Progress};
use aura_core::settings::ProviderKind;
use aura_store::Store;
use aura_testkit::provider::{ProviderServer, Reply, StreamReply};
use common::*;

fn openai(id: &str, s: &ProviderServer) -> aura_core::settings::ProviderSettings {
    provider(id, ProviderKind::Openai, format!("{}/v1", s.url()))
}

#[test]
fn fallback_goes_down_the_chain_and_reports_each_reason() {
    let (a, b, c) = (
        ProviderServer::start(),
        ProviderServer::start(),
        ProviderServer::start(),
    );
    a.set_default(Reply::status(500));
    b.set_default(Reply::status(429));
    c.set_default(Reply::text("from c"));
    let refused = provider(
        "gone",
        ProviderKind::Openai,
        format!("http://127.0.0.1:{}/v1", closed_port()),
    );
    let mut s = settings(vec![
        openai("a", &a),
        refused,
        openai("b", &b),
        openai("c", &c),
    ]);
    s.chat = vec!["a".into(), "gone".into(), "b/special".into(), "c".into()];
    let (e, _) = engine(s);
    let store = Store::open_in_memory().unwrap();
    let mut seen = Vec::new();
    let answer = e
        .run(&store, &chat("q"), &Default::default(), &mut |p| {
            if let Progress::Fallback { attempt } = p {
                seen.push(attempt.provider.clone());
            }
        })
        .unwrap();
    assert_eq!(answer.text, "from c");
    let reasons: Vec<(&str, &str)> = answer
        .fallbacks
        .iter()
        .map(|f| (f.provider.as_str(), f.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("a", "500 server error"),
            ("gone", "connection refused"),
            ("b", "429 rate limited")
        ]
    );
    assert_eq!(seen, ["a", "gone", "b"]);
    assert_eq!(
        b.requests()[0].json()["model"],
        "special",
        "a chain entry names the model"
    );
}

#[test]
fn retry_waits_as_long_as_retry_after_says() {
    let server = ProviderServer::start();
    server.push(Reply::retry_after(429, 1));
    let mut s = settings(vec![openai("p", &server)]);
    s.max_retries = 2;
    let (e, _) = engine(s);
    let store = Store::open_in_memory().unwrap();
    let mut waits = Vec::new();
    let answer = e
        .run(&store, &chat("q"), &Default::default(), &mut |p| {
            if let Progress::Retry { wait, .. } = p {
                waits.push(wait);
            }
        })
        .unwrap();
    assert!(answer.fallbacks.is_empty());
    assert_eq!(waits, [Duration::from_secs(1)]);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let gap = reqs[1].at_ms - reqs[0].at_ms;
    assert!(
        gap >= 1000,
        "the retry came {gap} ms after the 429, before Retry-After"
    );
}

#[test]
fn a_failing_provider_trips_its_breaker_and_is_skipped() {
    let (bad, good) = (ProviderServer::start(), ProviderServer::start());
    bad.set_default(Reply::status(503));
    let mut s = settings(vec![openai("bad", &bad), openai("good", &good)]);
    s.breaker_failures = 2;
    s.breaker_cooldown_secs = 600;
    let (e, _) = engine(s);
    let store = Store::open_in_memory().unwrap();
    for _ in 0..2 {
        let a = run(&e, &store, &chat("q")).0.unwrap();
        assert_eq!(a.fallbacks[0].reason, "503 server error");
    }
    let a = run(&e, &store, &chat("q")).0.unwrap();
    assert_eq!(a.provider, "good");
    assert_eq!(a.fallbacks[0].reason, "circuit open");
    assert_eq!(
        bad.requests().len(),
        2,
        "the open breaker sent nothing to the bad provider"
    );
    let info = e.providers();
    assert_eq!(info[0].breaker, aura_ai::BreakerState::Open);
}

#[test]
fn first_byte_and_idle_timeouts() {
    let server = ProviderServer::start();
    let mut s = settings(vec![openai("p", &server)]);
    s.request_timeout_ms = 600;
    s.stream_idle_timeout_ms = 600;
    let (e, _) = engine(s);
    let store = Store::open_in_memory().unwrap();
    server.set_default(Reply::Hang);
    let started = Instant::now();
    let err = run(&e, &store, &chat("q")).0.unwrap_err();
    assert!(
        err.to_string().contains("waiting for the first byte"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    server.set_default(Reply::Stream(StreamReply::text(&["a", "b"]).slow(2_000)));
    let err = run(&e, &store, &chat("q2")).0.unwrap_err();
    assert!(err.to_string().contains("stream idle"), "{err}");
}

#[test]
fn requests_per_minute_limit_moves_to_the_next_provider() {
    let (a, b) = (ProviderServer::start(), ProviderServer::start());
    let mut limited = openai("a", &a);
    limited.requests_per_minute = 1;
    let (e, _) = engine(settings(vec![limited, openai("b", &b)]));
    let store = Store::open_in_memory().unwrap();
    assert_eq!(run(&e, &store, &chat("1")).0.unwrap().provider, "a");
    let second = run(&e, &store, &chat("2")).0.unwrap();
    assert_eq!(second.provider, "b");
    assert_eq!(second.fallbacks[0].reason, "429 rate limited");
    assert_eq!(
        a.requests().len(),
        1,
        "the limit held the second request back"
    );
}

#[test]
fn without_any_provider_the_message_says_what_to_do() {
    let (e, _) = engine(settings(vec![]));
    let store = Store::open_in_memory().unwrap();
    let err = run(&e, &store, &chat("q")).0.unwrap_err();
    assert!(matches!(err, AiError::NoProvider(_)));
    assert!(err.to_string().contains("Settings > AI"), "{err}");
    let core: aura_core::Error = err.into();
    assert_eq!(core.code, aura_core::ErrorCode::ProviderUnavailable);
}

#[test]
fn a_remote_provider_without_a_key_is_skipped_with_that_reason() {
    let server = ProviderServer::start();
    // Not a local URL, so a key is required; it is never contacted.
    let remote = provider(
        "remote",
        ProviderKind::Openai,
        "https://api.example.invalid/v1".into(),
    );
    let (e, _) = engine(settings(vec![remote, openai("local", &server)]));
    let store = Store::open_in_memory().unwrap();
    let a = run(&e, &store, &chat("q")).0.unwrap();
    assert_eq!(a.provider, "local");
    assert_eq!(a.fallbacks[0].reason, "no API key");
}

#[test]
fn a_local_server_on_its_default_port_is_offered() {
    let server = ProviderServer::start();
    let port = server.addr().port();
    let mut s = settings(vec![]);
    s.detect_local = true;
    let secrets = std::sync::Arc::new(aura_store::MemorySecrets::default());
    // The test server stands in for Ollama on "its" port; nothing on the llama.cpp one.
    let e = aura_ai::Engine::new(s, secrets)
        .unwrap()
        .with_local_ports(port, closed_port());
    let info = e.providers();
    assert_eq!(info.len(), 1, "{info:?}");
    assert_eq!(
        (info[0].id.as_str(), info[0].model.as_str()),
        ("ollama", "test-model")
    );
    assert!(info[0].detected);
    let store = Store::open_in_memory().unwrap();
    let a = run(&e, &store, &chat("q")).0.unwrap();
    assert_eq!(a.provider, "ollama");
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.path == "/v1/chat/completions")
    );
    let health = e.health();
    assert!(health[0].ok, "{health:?}");
}
