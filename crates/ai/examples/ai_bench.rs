//! AI overhead benchmark (run by `scripts/bench/ai`): send-to-first-token through the
//! engine vs a direct reqwest call to the same local server, and cache-hit latency.
//! The server is the testkit provider on 127.0.0.1 (answers at once), so what is left is
//! the engine's own cost: runtime hand-off, cache lookup, limits, SSE decoding.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use aura_ai::{
    Call, CancellationToken, Engine, Message, ModelRole, Progress, Prompt, Request, Role,
};
use aura_core::settings::{AiSettings, ProviderKind, ProviderSettings};
use aura_store::{MemorySecrets, Store};
use aura_testkit::provider::{ProviderServer, Reply, StreamReply};
use futures_util::StreamExt as _;

const N: usize = 200;

fn pct(mut v: Vec<Duration>, p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn main() {
    let server = ProviderServer::start();
    server.set_default(Reply::Stream(StreamReply::text(&["Hello", " world", "."])));
    let base = format!("{}/v1", server.url());
    let settings = AiSettings {
        detect_local: false,
        providers: vec![ProviderSettings {
            id: "bench".into(),
            kind: ProviderKind::Openai,
            base_url: base.clone(),
            model: "test-model".into(),
            ..ProviderSettings::default()
        }],
        ..AiSettings::default()
    };
    let engine = Engine::new(settings, Arc::new(MemorySecrets::default())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("aura.sqlite3")).unwrap();
    let messages = [
        Message::new(Role::System, "You are a benchmark."),
        Message::new(Role::User, "Say hello."),
    ];
    let call = |use_cache: bool, i: usize| Call {
        kind: "chat".into(),
        role: ModelRole::Chat,
        project: None,
        use_cache,
        request: Request {
            prompt: Prompt::Chat(vec![
                messages[0].clone(),
                Message::new(Role::User, format!("Say hello {i}.")),
            ]),
            max_tokens: 64,
            temperature: None,
            stop: vec![],
        },
    };

    // The anchor: the same request with reqwest, timed to the first content chunk.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let http = reqwest::Client::builder()
        .tcp_nodelay(true)
        .build()
        .unwrap();
    let direct = |i: usize| {
        rt.block_on(async {
            let body = serde_json::json!({"model": "test-model", "stream": true,
                "messages": [{"role": "system", "content": "You are a benchmark."},
                             {"role": "user", "content": format!("Say hello {i}.")}]});
            let t = Instant::now();
            let resp = http
                .post(format!("{base}/chat/completions"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let mut s = resp.bytes_stream();
            let mut first = None;
            while let Some(chunk) = s.next().await {
                let chunk = chunk.unwrap();
                if first.is_none()
                    && std::str::from_utf8(&chunk)
                        .is_ok_and(|s| s.contains("\"content\":\"Hello\""))
                {
                    first = Some(t.elapsed());
                }
            }
            first.unwrap()
        })
    };
    let via_engine = |c: &Call| {
        let t = Instant::now();
        let mut first = None;
        engine
            .run(&store, c, &CancellationToken::new(), &mut |p| {
                if let Progress::Delta(_) = p {
                    first.get_or_insert_with(|| t.elapsed());
                }
            })
            .unwrap();
        (first.unwrap(), t.elapsed())
    };

    for i in 0..20 {
        direct(i);
        via_engine(&call(false, i));
    }
    let (mut d, mut e) = (Vec::new(), Vec::new());
    for i in 0..N {
        // Interleaved, so both see the same machine load.
        d.push(direct(i));
        e.push(via_engine(&call(false, i)).0);
    }
    let (d50, d95, e50, e95) = (
        pct(d.clone(), 0.5),
        pct(d, 0.95),
        pct(e.clone(), 0.5),
        pct(e, 0.95),
    );
    println!("send to first token, {N} requests to the local test server (interleaved):");
    println!("  direct reqwest      p50 {d50:7.3} ms   p95 {d95:7.3} ms");
    println!("  aura engine         p50 {e50:7.3} ms   p95 {e95:7.3} ms");
    println!(
        "  overhead            p50 {:7.3} ms   p95 {:7.3} ms   (goal < 5 ms)",
        e50 - d50,
        e95 - d95
    );

    let warm = call(true, 999_999);
    via_engine(&warm);
    let mut hits = Vec::new();
    for _ in 0..N {
        hits.push(via_engine(&warm).1);
    }
    println!("cache hit, whole call ({N} hits):");
    println!(
        "  p50 {:7.3} ms   p95 {:7.3} ms   (goal < 5 ms)",
        pct(hits.clone(), 0.5),
        pct(hits, 0.95)
    );
}
