//! The answer cache (hit, miss, bypass, expiry) and the usage log with costs.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use aura_core::settings::{PriceSettings, ProviderKind};
use aura_store::{Store, UsageFilter};
use aura_testkit::provider::{ProviderServer, Reply};
use common::*;

#[test]
fn cache_hit_miss_bypass_and_expiry() {
    let server = ProviderServer::start();
    let mut s = settings(vec![provider(
        "p",
        ProviderKind::Openai,
        format!("{}/v1", server.url()),
    )]);
    s.cache_ttl_secs = 1;
    let (e, _) = engine(s);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("aura.sqlite3")).unwrap();
    let mut call = chat("same question");
    call.use_cache = true;
    let first = run(&e, &store, &call).0.unwrap();
    assert!(!first.cached);
    let (second, deltas) = run(&e, &store, &call);
    let second = second.unwrap();
    assert!(second.cached);
    assert_eq!(second.text, first.text);
    assert_eq!(
        deltas,
        std::slice::from_ref(&first.text),
        "a hit still streams its text once"
    );
    assert_eq!(server.requests().len(), 1, "the hit sent nothing");
    let mut other = chat("another question");
    other.use_cache = true;
    assert!(
        !run(&e, &store, &other).0.unwrap().cached,
        "a different request misses"
    );
    call.use_cache = false;
    assert!(!run(&e, &store, &call).0.unwrap().cached, "bypass");
    assert_eq!(server.requests().len(), 3);
    std::thread::sleep(Duration::from_millis(1100));
    call.use_cache = true;
    assert!(
        !run(&e, &store, &call).0.unwrap().cached,
        "expired after the TTL"
    );
}

#[test]
fn every_call_is_logged_with_tokens_cost_and_errors() {
    let server = ProviderServer::start();
    server.push(Reply::status(500));
    let mut p = provider("p", ProviderKind::Openai, format!("{}/v1", server.url()));
    p.model = "priced-model".into();
    let mut s = settings(vec![p]);
    s.max_retries = 1;
    s.prices = vec![PriceSettings {
        model: "priced-*".into(),
        input_per_mtok: 1000.0,
        output_per_mtok: 2000.0,
    }];
    let (e, _) = engine(s);
    let store = Store::open_in_memory().unwrap();
    let mut call = chat("q");
    call.project = Some("0123456789abcdef0123456789abcdef".into());
    let a = run(&e, &store, &call).0.unwrap();
    let expected = (12.0 * 1000.0 + 6.0 * 2000.0) / 1e6;
    assert!((a.cost_usd - expected).abs() < 1e-12, "{}", a.cost_usd);
    let rows = store.ai_usage_recent(&UsageFilter::default(), 10).unwrap();
    assert_eq!(rows.len(), 2, "the failed try and the answer");
    let (ok, failed) = (&rows[0], &rows[1]);
    assert!(ok.ok && !failed.ok);
    assert_eq!(failed.error.as_deref(), Some("500 server error"));
    assert_eq!((ok.tokens_in, ok.tokens_out), (12, 6));
    assert_eq!(ok.kind, "chat");
    assert_eq!(ok.model, "priced-model");
    assert_eq!(ok.project_id, call.project);
    assert!((ok.cost_usd - expected).abs() < 1e-12);
    assert!(ok.first_token_ms.is_some());
    let totals = store.ai_usage_totals(&UsageFilter::default()).unwrap();
    assert_eq!((totals[0].calls, totals[0].errors), (2, 1));
}
