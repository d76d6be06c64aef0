//! aura-store: Aura's one SQLite database.
//!
//! A single file in the data dir (WAL mode) holds the project registry, recent files and
//! per-project session state, chat history, the AI cache and the usage log; API keys live
//! apart from it, behind the [`Secrets`] trait (the OS keyring). The schema evolves only
//! through the numbered [`migrations`],
//! tracked in `PRAGMA user_version`, so any older file upgrades in place and a file from a
//! newer Aura is refused instead of damaged.

mod ai;
mod error;
pub mod migrations;
mod projects;
pub mod secrets;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

pub use ai::{CachedResponse, ChatMessageRow, ChatRow, UsageFilter, UsageRow, UsageTotal};
pub use error::StoreError;
pub use projects::{NewProject, ProjectRow, ProjectUpdate};
pub use secrets::{EnvFallback, KeyringSecrets, MemorySecrets, Secrets, SecretsError};

/// Handle to the database. Cheap operations run under one connection guarded by a mutex:
/// the registry is tiny and contention is from one user's clicks, not a server's load.
pub struct Store {
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings it to the latest schema.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Io(format!("{}: {e}", dir.display())))?;
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Self::init(conn)
    }

    /// A private database for tests and tools that must not persist anything.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite itself consistent (statements are
        // atomic), so continuing with the inner connection is safe.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The schema version the file is at (always the latest after `open`).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        migrations::current_version(&self.conn())
    }
}

/// Milliseconds since the Unix epoch, the time unit of every column.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
