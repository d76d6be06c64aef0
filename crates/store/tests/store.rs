//! Registry behaviour and schema upgrades against real SQLite files.

// Test helpers outside #[test] fns panic on broken fixtures, which is what a test wants.
#![allow(clippy::unwrap_used)]

use aura_core::ProjectId;
use aura_store::{NewProject, ProjectUpdate, Store, StoreError, migrations};
use rusqlite::Connection;

fn pid(n: u8) -> ProjectId {
    ProjectId::parse(&format!("{n:032x}")).unwrap()
}

fn new_project(n: u8) -> NewProject {
    NewProject {
        id: pid(n),
        name: format!("p{n}"),
        path: format!("/tmp/p{n}"),
        language: None,
    }
}

#[test]
fn registry_roundtrip_in_a_real_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/aura.sqlite3");
    {
        let s = Store::open(&db).unwrap();
        s.insert_project(&new_project(1)).unwrap();
        s.insert_project(&new_project(2)).unwrap();
    }
    let s = Store::open(&db).unwrap();
    assert_eq!(s.list_recent_projects(10).unwrap().len(), 2);
    assert!(db.exists());
}

#[test]
fn recent_is_last_opened_first() {
    let s = Store::open_in_memory().unwrap();
    for n in 1..=3 {
        s.insert_project(&new_project(n)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(3));
    }
    s.touch_project_opened(&pid(1)).unwrap();
    let order: Vec<String> = s
        .list_recent_projects(10)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(order, ["p1", "p3", "p2"]);
    assert_eq!(s.list_recent_projects(1).unwrap().len(), 1);
}

#[test]
fn duplicate_path_is_refused() {
    let s = Store::open_in_memory().unwrap();
    s.insert_project(&new_project(1)).unwrap();
    let mut dup = new_project(2);
    dup.path = "/tmp/p1".into();
    assert!(matches!(
        s.insert_project(&dup),
        Err(StoreError::AlreadyExists(_))
    ));
}

#[test]
fn update_validates_and_applies() {
    let s = Store::open_in_memory().unwrap();
    s.insert_project(&new_project(1)).unwrap();
    let bad = ProjectUpdate {
        settings_json: Some("[1]".into()),
        ..Default::default()
    };
    assert!(matches!(
        s.update_project(&pid(1), &bad),
        Err(StoreError::Invalid(_))
    ));
    let bad = ProjectUpdate {
        settings_json: Some("{oops".into()),
        ..Default::default()
    };
    assert!(matches!(
        s.update_project(&pid(1), &bad),
        Err(StoreError::Invalid(_))
    ));
    let good = ProjectUpdate {
        name: Some(" Renamed ".into()),
        description: Some("d".into()),
        language: Some(Some("rust".into())),
        settings_json: Some(r#"{"run":"cargo run"}"#.into()),
    };
    let row = s.update_project(&pid(1), &good).unwrap();
    assert_eq!(
        (row.name.as_str(), row.description.as_str()),
        ("Renamed", "d")
    );
    assert_eq!(row.language.as_deref(), Some("rust"));
    assert!(matches!(
        s.update_project(&pid(9), &good),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn delete_cascades_recent_files_and_session() {
    let s = Store::open_in_memory().unwrap();
    s.insert_project(&new_project(1)).unwrap();
    s.touch_recent_file(&pid(1), "a.rs").unwrap();
    s.save_session(&pid(1), r#"{"tabs":["a.rs"]}"#).unwrap();
    assert_eq!(s.recent_files(&pid(1)).unwrap(), ["a.rs"]);
    s.delete_project(&pid(1)).unwrap();
    assert!(s.recent_files(&pid(1)).unwrap().is_empty());
    assert_eq!(s.session(&pid(1)).unwrap(), None);
    assert!(matches!(
        s.delete_project(&pid(1)),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn recent_files_are_capped_newest_first() {
    let s = Store::open_in_memory().unwrap();
    s.insert_project(&new_project(1)).unwrap();
    for i in 0..60 {
        s.touch_recent_file(&pid(1), &format!("f{i:02}")).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let files = s.recent_files(&pid(1)).unwrap();
    assert_eq!(files.len(), 50);
    assert_eq!(files[0], "f59");
}

/// Builds a database at every earlier schema version with data in it, then opens it with
/// the current code: it must reach the latest version and keep the data.
#[test]
fn upgrades_from_every_earlier_version() {
    let latest = migrations::latest_version();
    assert!(latest >= 3);
    for start in 0..latest {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("aura.sqlite3");
        {
            let mut conn = Connection::open(&db).unwrap();
            migrations::migrate_to(&mut conn, start).unwrap();
            assert_eq!(migrations::current_version(&conn).unwrap(), start);
            if start >= 1 {
                conn.execute(
                    "INSERT INTO projects (id, name, path, created_ms, last_opened_ms)
                     VALUES (?1, 'old', '/old', 1, 2)",
                    [pid(7).as_str()],
                )
                .unwrap();
            }
        }
        let s = Store::open(&db).unwrap();
        assert_eq!(s.schema_version().unwrap(), latest, "from {start}");
        if start >= 1 {
            let p = s.project(&pid(7)).unwrap();
            assert_eq!(
                (p.name.as_str(), p.path.as_str(), p.last_opened_ms),
                ("old", "/old", Some(2))
            );
            assert_eq!(p.settings_json, "{}");
            s.touch_recent_file(&pid(7), "x").unwrap();
        }
    }
}

#[test]
fn a_newer_schema_is_refused_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("aura.sqlite3");
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 999;")
            .unwrap();
    }
    let err = Store::open(&db).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 999, .. }),
        "{err}"
    );
    let conn = Connection::open(&db).unwrap();
    let v: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, 999);
}
