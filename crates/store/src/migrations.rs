//! Numbered schema migrations.
//!
//! `MIGRATIONS[i]` takes a database from version `i` to `i + 1`. Never edit a shipped
//! entry: add a new one. Each runs in its own transaction together with the version bump,
//! so a crash mid-upgrade leaves the file at the previous version.

use rusqlite::Connection;

use crate::StoreError;

pub const MIGRATIONS: &[&str] = &[
    // 1: the project registry.
    "CREATE TABLE projects (
        id              TEXT PRIMARY KEY NOT NULL,
        name            TEXT NOT NULL,
        path            TEXT NOT NULL UNIQUE,
        created_ms      INTEGER NOT NULL,
        last_opened_ms  INTEGER
    );",
    // 2: project metadata the user edits.
    "ALTER TABLE projects ADD COLUMN description TEXT NOT NULL DEFAULT '';
     ALTER TABLE projects ADD COLUMN language TEXT;
     ALTER TABLE projects ADD COLUMN settings_json TEXT NOT NULL DEFAULT '{}';
     CREATE INDEX projects_last_opened ON projects(last_opened_ms DESC);",
    // 3: recent files and the per-project session (open tabs, layout) for restore.
    "CREATE TABLE recent_files (
        project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        path        TEXT NOT NULL,
        opened_ms   INTEGER NOT NULL,
        PRIMARY KEY (project_id, path)
    );
    CREATE TABLE sessions (
        project_id  TEXT PRIMARY KEY NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        state_json  TEXT NOT NULL,
        saved_ms    INTEGER NOT NULL
    );",
];

pub fn latest_version() -> u32 {
    u32::try_from(MIGRATIONS.len()).expect("fewer than 2^32 migrations")
}

pub fn current_version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Applies every migration above the file's version.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, latest_version())
}

/// Applies migrations up to `target` only (tests build old schemas this way).
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    let found = current_version(conn)?;
    if found > latest_version() {
        return Err(StoreError::NewerSchema {
            found,
            supported: latest_version(),
        });
    }
    for version in found..target.min(latest_version()) {
        let tx = conn.transaction()?;
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
        tracing::info!(from = version, to = version + 1, "database migrated");
    }
    Ok(())
}
