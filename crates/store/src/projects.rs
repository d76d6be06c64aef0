//! The project registry, recent files and session state.

use aura_core::ProjectId;
use rusqlite::{OptionalExtension, Row, params};

use crate::{Store, StoreError, now_ms};

/// One registered project as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRow {
    pub id: ProjectId,
    pub name: String,
    /// Absolute, canonical path of the project folder.
    pub path: String,
    pub description: String,
    pub language: Option<String>,
    /// A JSON object of per-project settings.
    pub settings_json: String,
    pub created_ms: i64,
    pub last_opened_ms: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewProject {
    pub id: ProjectId,
    pub name: String,
    pub path: String,
    pub language: Option<String>,
}

/// Fields to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProjectUpdate {
    pub name: Option<String>,
    pub description: Option<String>,
    pub language: Option<Option<String>>,
    pub settings_json: Option<String>,
}

const COLUMNS: &str =
    "id, name, path, description, language, settings_json, created_ms, last_opened_ms";

fn row_to_project(row: &Row<'_>) -> rusqlite::Result<ProjectRow> {
    let id: String = row.get(0)?;
    let id = ProjectId::parse(&id).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(ProjectRow {
        id,
        name: row.get(1)?,
        path: row.get(2)?,
        description: row.get(3)?,
        language: row.get(4)?,
        settings_json: row.get(5)?,
        created_ms: row.get(6)?,
        last_opened_ms: row.get(7)?,
    })
}

impl Store {
    /// Registers a project (opened now). A path that is already registered is refused.
    pub fn insert_project(&self, p: &NewProject) -> Result<ProjectRow, StoreError> {
        let now = now_ms();
        let conn = self.conn();
        let res = conn.execute(
            "INSERT INTO projects (id, name, path, created_ms, last_opened_ms, language)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
            params![p.id.as_str(), p.name, p.path, now, p.language],
        );
        match res {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                return Err(StoreError::AlreadyExists(format!(
                    "a project at {}",
                    p.path
                )));
            }
            other => other?,
        };
        drop(conn);
        self.project(&p.id)
    }

    pub fn project(&self, id: &ProjectId) -> Result<ProjectRow, StoreError> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM projects WHERE id = ?1"),
                [id.as_str()],
                row_to_project,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("project {id}")))
    }

    pub fn project_by_path(&self, path: &str) -> Result<Option<ProjectRow>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM projects WHERE path = ?1"),
                [path],
                row_to_project,
            )
            .optional()?)
    }

    /// Projects, last opened first (never-opened ones last, newest created first).
    pub fn list_recent_projects(&self, limit: usize) -> Result<Vec<ProjectRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM projects
             ORDER BY last_opened_ms IS NULL, last_opened_ms DESC, created_ms DESC LIMIT ?1"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map([limit], row_to_project)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub fn touch_project_opened(&self, id: &ProjectId) -> Result<(), StoreError> {
        let n = self.conn().execute(
            "UPDATE projects SET last_opened_ms = ?2 WHERE id = ?1",
            params![id.as_str(), now_ms()],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("project {id}")));
        }
        Ok(())
    }

    pub fn update_project(
        &self,
        id: &ProjectId,
        u: &ProjectUpdate,
    ) -> Result<ProjectRow, StoreError> {
        if let Some(json) = &u.settings_json {
            let v: serde_json::Value = serde_json::from_str(json).map_err(|e| {
                StoreError::Invalid(format!("project settings are not valid JSON: {e}"))
            })?;
            if !v.is_object() {
                return Err(StoreError::Invalid(
                    "project settings must be a JSON object".into(),
                ));
            }
        }
        if let Some(name) = &u.name
            && name.trim().is_empty()
        {
            return Err(StoreError::Invalid("a project name cannot be empty".into()));
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM projects WHERE id = ?1)",
            [id.as_str()],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(StoreError::NotFound(format!("project {id}")));
        }
        if let Some(v) = &u.name {
            tx.execute(
                "UPDATE projects SET name = ?2 WHERE id = ?1",
                params![id.as_str(), v.trim()],
            )?;
        }
        if let Some(v) = &u.description {
            tx.execute(
                "UPDATE projects SET description = ?2 WHERE id = ?1",
                params![id.as_str(), v],
            )?;
        }
        if let Some(v) = &u.language {
            tx.execute(
                "UPDATE projects SET language = ?2 WHERE id = ?1",
                params![id.as_str(), v],
            )?;
        }
        if let Some(v) = &u.settings_json {
            tx.execute(
                "UPDATE projects SET settings_json = ?2 WHERE id = ?1",
                params![id.as_str(), v],
            )?;
        }
        tx.commit()?;
        drop(conn);
        self.project(id)
    }

    /// Removes a project from the registry (with its recent files and session). The
    /// project's files are not the store's business and are never touched.
    pub fn delete_project(&self, id: &ProjectId) -> Result<(), StoreError> {
        let n = self
            .conn()
            .execute("DELETE FROM projects WHERE id = ?1", [id.as_str()])?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("project {id}")));
        }
        Ok(())
    }

    /// Records that a file was opened; keeps the newest 50 per project.
    pub fn touch_recent_file(&self, id: &ProjectId, path: &str) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO recent_files (project_id, path, opened_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT(project_id, path) DO UPDATE SET opened_ms = excluded.opened_ms",
            params![id.as_str(), path, now_ms()],
        )?;
        conn.execute(
            "DELETE FROM recent_files WHERE project_id = ?1 AND path NOT IN
             (SELECT path FROM recent_files WHERE project_id = ?1 ORDER BY opened_ms DESC LIMIT 50)",
            [id.as_str()],
        )?;
        Ok(())
    }

    pub fn recent_files(&self, id: &ProjectId) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT path FROM recent_files WHERE project_id = ?1 ORDER BY opened_ms DESC, path",
        )?;
        let rows = stmt
            .query_map([id.as_str()], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(rows)
    }

    /// Stores the UI's session state (a JSON document the UI owns) for a project.
    pub fn save_session(&self, id: &ProjectId, state_json: &str) -> Result<(), StoreError> {
        serde_json::from_str::<serde_json::Value>(state_json)
            .map_err(|e| StoreError::Invalid(format!("session state is not valid JSON: {e}")))?;
        self.conn().execute(
            "INSERT INTO sessions (project_id, state_json, saved_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT(project_id) DO UPDATE SET state_json = excluded.state_json,
                                                   saved_ms = excluded.saved_ms",
            params![id.as_str(), state_json, now_ms()],
        )?;
        Ok(())
    }

    pub fn session(&self, id: &ProjectId) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT state_json FROM sessions WHERE project_id = ?1",
                [id.as_str()],
                |r| r.get(0),
            )
            .optional()?)
    }
}
