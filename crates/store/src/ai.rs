//! The AI tables: response cache, usage log, chat history. Rows hold no secret: keys live
//! in [`crate::Secrets`], and usage rows record counts and costs, never text.

use aura_core::ProjectId;
use rusqlite::{OptionalExtension, params};

use crate::{Store, StoreError, now_ms};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedResponse {
    pub response: String,
    pub provider: String,
    pub model: String,
    pub created_ms: i64,
}

/// One AI call as logged.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageRow {
    pub at_ms: i64,
    /// `chat`, `completion`, `edit`, `explain`, ...
    pub kind: String,
    pub provider: String,
    pub model: String,
    pub project_id: Option<String>,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
    pub latency_ms: u64,
    pub first_token_ms: Option<u64>,
    pub ok: bool,
    /// The error code and a short reason; never request text.
    pub error: Option<String>,
    pub cached: bool,
}

#[derive(Debug, Clone, Default)]
pub struct UsageFilter {
    pub since_ms: Option<i64>,
    pub project_id: Option<String>,
}

/// Totals for one day (UTC, `YYYY-MM-DD`) and model.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageTotal {
    pub day: String,
    pub provider: String,
    pub model: String,
    pub calls: u64,
    pub errors: u64,
    pub cached: u64,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
    pub avg_latency_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRow {
    pub id: String,
    pub project_id: ProjectId,
    pub title: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessageRow {
    pub seq: i64,
    pub role: String,
    pub content: String,
    /// The context items (citations) sent with a user message, as JSON.
    pub context_json: String,
    /// Provider, model, usage, fallback reasons of an answer, as JSON.
    pub meta_json: String,
    pub created_ms: i64,
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl Store {
    /// A cached response that has not expired at `now_ms`.
    pub fn ai_cache_get(&self, key: &str, now: i64) -> Result<Option<CachedResponse>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT response, provider, model, created_ms FROM ai_cache
                 WHERE key = ?1 AND expires_ms > ?2",
                params![key, now],
                |r| {
                    Ok(CachedResponse {
                        response: r.get(0)?,
                        provider: r.get(1)?,
                        model: r.get(2)?,
                        created_ms: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn ai_cache_put(
        &self,
        key: &str,
        value: &CachedResponse,
        expires_ms: i64,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO ai_cache (key, response, provider, model, created_ms, expires_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(key) DO UPDATE SET response = ?2, provider = ?3, model = ?4,
                 created_ms = ?5, expires_ms = ?6",
            params![
                key,
                value.response,
                value.provider,
                value.model,
                value.created_ms,
                expires_ms
            ],
        )?;
        Ok(())
    }

    /// Drops expired entries; returns how many.
    pub fn ai_cache_prune(&self, now: i64) -> Result<usize, StoreError> {
        Ok(self
            .conn()
            .execute("DELETE FROM ai_cache WHERE expires_ms <= ?1", [now])?)
    }

    pub fn ai_cache_clear(&self) -> Result<usize, StoreError> {
        Ok(self.conn().execute("DELETE FROM ai_cache", [])?)
    }

    pub fn ai_usage_insert(&self, row: &UsageRow) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO ai_usage (at_ms, kind, provider, model, project_id, tokens_in,
                 tokens_out, cost_usd, latency_ms, first_token_ms, ok, error, cached)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                row.at_ms,
                row.kind,
                row.provider,
                row.model,
                row.project_id,
                to_i64(row.tokens_in),
                to_i64(row.tokens_out),
                row.cost_usd,
                to_i64(row.latency_ms),
                row.first_token_ms.map(to_i64),
                row.ok,
                row.error,
                row.cached
            ],
        )?;
        Ok(())
    }

    /// The newest `limit` calls, newest first.
    pub fn ai_usage_recent(
        &self,
        filter: &UsageFilter,
        limit: usize,
    ) -> Result<Vec<UsageRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT at_ms, kind, provider, model, project_id, tokens_in, tokens_out, cost_usd,
                    latency_ms, first_token_ms, ok, error, cached
             FROM ai_usage
             WHERE at_ms >= ?1 AND (?2 IS NULL OR project_id = ?2)
             ORDER BY at_ms DESC, id DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![
                filter.since_ms.unwrap_or(0),
                filter.project_id,
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
            |r| {
                Ok(UsageRow {
                    at_ms: r.get(0)?,
                    kind: r.get(1)?,
                    provider: r.get(2)?,
                    model: r.get(3)?,
                    project_id: r.get(4)?,
                    tokens_in: to_u64(r.get(5)?),
                    tokens_out: to_u64(r.get(6)?),
                    cost_usd: r.get(7)?,
                    latency_ms: to_u64(r.get(8)?),
                    first_token_ms: r.get::<_, Option<i64>>(9)?.map(to_u64),
                    ok: r.get(10)?,
                    error: r.get(11)?,
                    cached: r.get(12)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Totals per UTC day and model, newest day first.
    pub fn ai_usage_totals(&self, filter: &UsageFilter) -> Result<Vec<UsageTotal>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT date(at_ms / 1000, 'unixepoch') AS day, provider, model, COUNT(*),
                    SUM(ok = 0), SUM(cached), SUM(tokens_in), SUM(tokens_out), SUM(cost_usd),
                    AVG(latency_ms)
             FROM ai_usage
             WHERE at_ms >= ?1 AND (?2 IS NULL OR project_id = ?2)
             GROUP BY day, provider, model
             ORDER BY day DESC, provider, model",
        )?;
        let rows = stmt.query_map(
            params![filter.since_ms.unwrap_or(0), filter.project_id],
            |r| {
                Ok(UsageTotal {
                    day: r.get(0)?,
                    provider: r.get(1)?,
                    model: r.get(2)?,
                    calls: to_u64(r.get(3)?),
                    errors: to_u64(r.get(4)?),
                    cached: to_u64(r.get(5)?),
                    tokens_in: to_u64(r.get(6)?),
                    tokens_out: to_u64(r.get(7)?),
                    cost_usd: r.get(8)?,
                    avg_latency_ms: r.get(9)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn chat_create(
        &self,
        id: &str,
        project: &ProjectId,
        title: &str,
    ) -> Result<ChatRow, StoreError> {
        let now = now_ms();
        self.conn().execute(
            "INSERT INTO ai_chats (id, project_id, title, created_ms, updated_ms)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![id, project.as_str(), title, now],
        )?;
        Ok(ChatRow {
            id: id.to_owned(),
            project_id: project.clone(),
            title: title.to_owned(),
            created_ms: now,
            updated_ms: now,
        })
    }

    /// The project's chats, most recently used first.
    pub fn chat_list(&self, project: &ProjectId, limit: usize) -> Result<Vec<ChatRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, title, created_ms, updated_ms FROM ai_chats WHERE project_id = ?1
             ORDER BY updated_ms DESC, created_ms DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(
            params![project.as_str(), i64::try_from(limit).unwrap_or(i64::MAX)],
            |r| {
                Ok(ChatRow {
                    id: r.get(0)?,
                    project_id: project.clone(),
                    title: r.get(1)?,
                    created_ms: r.get(2)?,
                    updated_ms: r.get(3)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The chat, checked to belong to `project` (a chat id from another project is
    /// `NotFound`, not a leak).
    pub fn chat_get(&self, project: &ProjectId, id: &str) -> Result<ChatRow, StoreError> {
        self.conn()
            .query_row(
                "SELECT title, created_ms, updated_ms FROM ai_chats
                 WHERE id = ?1 AND project_id = ?2",
                params![id, project.as_str()],
                |r| {
                    Ok(ChatRow {
                        id: id.to_owned(),
                        project_id: project.clone(),
                        title: r.get(0)?,
                        created_ms: r.get(1)?,
                        updated_ms: r.get(2)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("chat {id}")))
    }

    /// Appends a message; returns its sequence number.
    pub fn chat_append(
        &self,
        chat_id: &str,
        role: &str,
        content: &str,
        context_json: &str,
        meta_json: &str,
    ) -> Result<i64, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let now = now_ms();
        let seq: i64 = tx.query_row(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM ai_messages WHERE chat_id = ?1",
            [chat_id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO ai_messages (chat_id, seq, role, content, context_json, meta_json,
                 created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![chat_id, seq, role, content, context_json, meta_json, now],
        )?;
        let changed = tx.execute(
            "UPDATE ai_chats SET updated_ms = ?2 WHERE id = ?1",
            params![chat_id, now],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("chat {chat_id}")));
        }
        tx.commit()?;
        Ok(seq)
    }

    pub fn chat_messages(&self, chat_id: &str) -> Result<Vec<ChatMessageRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT seq, role, content, context_json, meta_json, created_ms FROM ai_messages
             WHERE chat_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([chat_id], |r| {
            Ok(ChatMessageRow {
                seq: r.get(0)?,
                role: r.get(1)?,
                content: r.get(2)?,
                context_json: r.get(3)?,
                meta_json: r.get(4)?,
                created_ms: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn chat_rename(
        &self,
        project: &ProjectId,
        id: &str,
        title: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn().execute(
            "UPDATE ai_chats SET title = ?3 WHERE id = ?1 AND project_id = ?2",
            params![id, project.as_str(), title],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("chat {id}")));
        }
        Ok(())
    }

    pub fn chat_delete(&self, project: &ProjectId, id: &str) -> Result<(), StoreError> {
        let n = self.conn().execute(
            "DELETE FROM ai_chats WHERE id = ?1 AND project_id = ?2",
            params![id, project.as_str()],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("chat {id}")));
        }
        Ok(())
    }
}
