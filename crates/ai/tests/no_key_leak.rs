//! A key is used (the server receives it) but never written anywhere under AURA_HOME:
//! not the database (cache, usage), not the logs, not settings.toml.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use aura_ai::Engine;
use aura_core::settings::{ProviderKind, Settings};
use aura_store::{MemorySecrets, Secrets, Store};
use aura_testkit::TestHome;
use aura_testkit::provider::{ProviderServer, Reply};
use common::*;

const KEY: &str = "sk-aura-leak-probe-5b1f0e7c";

fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        if bytes.windows(needle.len()).any(|w| w == needle) {
            hits.push(entry.display().to_string());
        }
    }
    hits
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_key_never_reaches_a_file() {
    let home = TestHome::new();
    let dirs = home.dirs();
    std::fs::create_dir_all(&dirs.logs).unwrap();
    // Everything at trace level into a log file under the home, as the app logs.
    let appender = tracing_appender::rolling::never(&dirs.logs, "aura.log");
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(appender)
        .with_ansi(false)
        .init();

    let server = ProviderServer::start();
    server.push(Reply::status(401)); // an error path: its message is logged and stored
    let mut s = settings(vec![provider(
        "p",
        ProviderKind::Anthropic,
        format!("{}/v1", server.url()),
    )]);
    s.max_retries = 0;
    let whole = Settings {
        ai: s.clone(),
        ..Settings::default()
    };
    std::fs::create_dir_all(&dirs.config).unwrap();
    std::fs::write(dirs.settings_file(), whole.to_toml().unwrap()).unwrap();

    let secrets = Arc::new(MemorySecrets::default());
    secrets.set("provider.p", KEY).unwrap();
    let e = Engine::new(s, secrets).unwrap();
    let store = Store::open(&dirs.database_file()).unwrap();
    let mut call = chat("question");
    call.use_cache = true;
    assert!(run(&e, &store, &call).0.is_err());
    let ok = run(&e, &store, &call).0.unwrap();
    assert!(!ok.cached);
    let _ = e.health();
    drop(store);

    // The control: the key really went out, so a leak had every chance to happen.
    let sent: Vec<_> = server
        .requests()
        .iter()
        .filter_map(|r| r.header("x-api-key").map(str::to_owned))
        .collect();
    assert!(sent.len() >= 2 && sent.iter().all(|k| k == KEY), "{sent:?}");
    // And the grep finds what is there: the answer is in the cache file.
    assert!(
        !files_containing(home.path(), ok.text.as_bytes()).is_empty(),
        "the grep sees the database"
    );
    let leaks = files_containing(home.path(), KEY.as_bytes());
    assert!(leaks.is_empty(), "the key was written to {leaks:?}");
}
