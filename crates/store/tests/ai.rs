//! The AI tables (migrations 4-6): cache, usage log, chat history, against real SQLite
//! files, including upgrades from the schema before each of them.

#![allow(clippy::unwrap_used)]

use aura_core::ProjectId;
use aura_store::{CachedResponse, NewProject, Store, UsageFilter, UsageRow, migrations};
use rusqlite::Connection;

fn pid(n: u8) -> ProjectId {
    ProjectId::parse(&format!("{n:032x}")).unwrap()
}

fn project(s: &Store, n: u8) {
    s.insert_project(&NewProject {
        id: pid(n),
        name: format!("p{n}"),
        path: format!("/tmp/p{n}"),
        language: None,
    })
    .unwrap();
}

fn usage(at_ms: i64, model: &str, ok: bool) -> UsageRow {
    UsageRow {
        at_ms,
        kind: "chat".into(),
        provider: "local".into(),
        model: model.into(),
        project_id: Some(pid(1).to_string()),
        tokens_in: 100,
        tokens_out: 20,
        cost_usd: 0.5,
        latency_ms: 30,
        first_token_ms: Some(5),
        ok,
        error: (!ok).then(|| "ProviderUnavailable: 500".into()),
        cached: false,
    }
}

#[test]
fn cache_hit_miss_and_expiry() {
    let s = Store::open_in_memory().unwrap();
    let v = CachedResponse {
        response: "answer".into(),
        provider: "p".into(),
        model: "m".into(),
        created_ms: 1000,
    };
    s.ai_cache_put("k", &v, 2000).unwrap();
    assert_eq!(s.ai_cache_get("k", 1500).unwrap(), Some(v.clone()));
    assert_eq!(s.ai_cache_get("other", 1500).unwrap(), None);
    assert_eq!(
        s.ai_cache_get("k", 2000).unwrap(),
        None,
        "expired at its deadline"
    );
    assert_eq!(s.ai_cache_prune(2000).unwrap(), 1);
    // Replacing a key keeps one row with the new value.
    s.ai_cache_put("k", &v, 5000).unwrap();
    let newer = CachedResponse {
        response: "newer".into(),
        ..v
    };
    s.ai_cache_put("k", &newer, 5000).unwrap();
    assert_eq!(s.ai_cache_get("k", 0).unwrap().unwrap().response, "newer");
    assert_eq!(s.ai_cache_clear().unwrap(), 1);
}

#[test]
fn usage_rows_and_daily_totals() {
    let s = Store::open_in_memory().unwrap();
    let day1 = 1_700_000_000_000; // 2023-11-14
    let day2 = day1 + 86_400_000;
    s.ai_usage_insert(&usage(day1, "m1", true)).unwrap();
    s.ai_usage_insert(&usage(day1 + 1, "m1", false)).unwrap();
    s.ai_usage_insert(&usage(day2, "m2", true)).unwrap();
    let recent = s.ai_usage_recent(&UsageFilter::default(), 10).unwrap();
    assert_eq!(recent.len(), 3);
    assert_eq!(recent[0].model, "m2");
    assert_eq!(recent[1].error.as_deref(), Some("ProviderUnavailable: 500"));
    let totals = s.ai_usage_totals(&UsageFilter::default()).unwrap();
    assert_eq!(totals.len(), 2);
    assert_eq!(totals[0].day, "2023-11-15");
    assert_eq!(totals[1].day, "2023-11-14");
    assert_eq!((totals[1].calls, totals[1].errors), (2, 1));
    assert_eq!(totals[1].tokens_in, 200);
    assert!((totals[1].cost_usd - 1.0).abs() < 1e-9);
    let since = UsageFilter {
        since_ms: Some(day2),
        project_id: None,
    };
    assert_eq!(s.ai_usage_totals(&since).unwrap().len(), 1);
    let other = UsageFilter {
        since_ms: None,
        project_id: Some(pid(9).to_string()),
    };
    assert!(s.ai_usage_recent(&other, 10).unwrap().is_empty());
}

#[test]
fn chats_belong_to_their_project_and_go_with_it() {
    let s = Store::open_in_memory().unwrap();
    project(&s, 1);
    project(&s, 2);
    s.chat_create("c1", &pid(1), "first").unwrap();
    assert_eq!(s.chat_append("c1", "user", "hi", "[]", "{}").unwrap(), 1);
    assert_eq!(
        s.chat_append("c1", "assistant", "hello", "[]", "{}")
            .unwrap(),
        2
    );
    let msgs = s.chat_messages("c1").unwrap();
    assert_eq!(
        msgs.iter().map(|m| m.role.as_str()).collect::<Vec<_>>(),
        ["user", "assistant"]
    );
    assert!(
        s.chat_get(&pid(2), "c1").is_err(),
        "another project cannot read it"
    );
    assert!(s.chat_delete(&pid(2), "c1").is_err());
    assert!(s.chat_append("nope", "user", "x", "[]", "{}").is_err());
    s.chat_rename(&pid(1), "c1", "renamed").unwrap();
    assert_eq!(s.chat_list(&pid(1), 10).unwrap()[0].title, "renamed");
    s.delete_project(&pid(1)).unwrap();
    assert!(
        s.chat_messages("c1").unwrap().is_empty(),
        "cascade removed the messages"
    );
}

/// A database at version 3 (before the AI tables) with a project in it upgrades to the
/// latest schema, keeps the project, and the new tables work.
#[test]
fn upgrade_from_before_the_ai_tables_keeps_data() {
    for start in 3..migrations::latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("aura.sqlite3");
        {
            let mut conn = Connection::open(&db).unwrap();
            migrations::migrate_to(&mut conn, start).unwrap();
            conn.execute(
                "INSERT INTO projects (id, name, path, created_ms) VALUES (?1, 'old', '/o', 1)",
                [pid(1).as_str()],
            )
            .unwrap();
            if start >= 4 {
                conn.execute(
                    "INSERT INTO ai_cache VALUES ('k', 'cached', 'p', 'm', 1, 9999999999999)",
                    [],
                )
                .unwrap();
            }
            if start >= 5 {
                conn.execute(
                    "INSERT INTO ai_usage (at_ms, kind, provider, model, tokens_in, tokens_out,
                         cost_usd, latency_ms, ok) VALUES (1, 'chat', 'p', 'm', 1, 2, 0.0, 3, 1)",
                    [],
                )
                .unwrap();
            }
        }
        let s = Store::open(&db).unwrap();
        assert_eq!(s.schema_version().unwrap(), migrations::latest_version());
        assert_eq!(s.project(&pid(1)).unwrap().name, "old");
        if start >= 4 {
            assert_eq!(s.ai_cache_get("k", 2).unwrap().unwrap().response, "cached");
        }
        if start >= 5 {
            assert_eq!(
                s.ai_usage_recent(&UsageFilter::default(), 5).unwrap().len(),
                1
            );
        }
        s.chat_create("c", &pid(1), "t").unwrap();
        s.chat_append("c", "user", "q", "[]", "{}").unwrap();
        s.ai_usage_insert(&usage(5, "m", true)).unwrap();
    }
}
