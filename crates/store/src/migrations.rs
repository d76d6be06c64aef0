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
    // 4: the AI response cache, keyed by a hash of the normalised request.
    "CREATE TABLE ai_cache (
        key         TEXT PRIMARY KEY NOT NULL,
        response    TEXT NOT NULL,
        provider    TEXT NOT NULL,
        model       TEXT NOT NULL,
        created_ms  INTEGER NOT NULL,
        expires_ms  INTEGER NOT NULL
    );
    CREATE INDEX ai_cache_expires ON ai_cache(expires_ms);",
    // 5: one row per AI call (never the prompt, the answer or a key).
    "CREATE TABLE ai_usage (
        id              INTEGER PRIMARY KEY,
        at_ms           INTEGER NOT NULL,
        kind            TEXT NOT NULL,
        provider        TEXT NOT NULL,
        model           TEXT NOT NULL,
        project_id      TEXT,
        tokens_in       INTEGER NOT NULL,
        tokens_out      INTEGER NOT NULL,
        cost_usd        REAL NOT NULL,
        latency_ms      INTEGER NOT NULL,
        first_token_ms  INTEGER,
        ok              INTEGER NOT NULL,
        error           TEXT,
        cached          INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX ai_usage_at ON ai_usage(at_ms);",
    // 6: chat history per project.
    "CREATE TABLE ai_chats (
        id          TEXT PRIMARY KEY NOT NULL,
        project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        title       TEXT NOT NULL,
        created_ms  INTEGER NOT NULL,
        updated_ms  INTEGER NOT NULL
    );
    CREATE INDEX ai_chats_project ON ai_chats(project_id, updated_ms DESC);
    CREATE TABLE ai_messages (
        chat_id       TEXT NOT NULL REFERENCES ai_chats(id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        role          TEXT NOT NULL,
        content       TEXT NOT NULL,
        context_json  TEXT NOT NULL DEFAULT '[]',
        meta_json     TEXT NOT NULL DEFAULT '{}',
        created_ms    INTEGER NOT NULL,
        PRIMARY KEY (chat_id, seq)
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
