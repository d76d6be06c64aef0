//! The durable half of the semantic index: one SQLite file per project holding the files
//! seen, their chunks (the symbols of "go to symbol in workspace"), a BM25 index over the
//! chunks (FTS5, fed with the code tokenizer's terms) and the vectors, keyed by a hash of
//! what was embedded, so unchanged chunks are never embedded twice.
//!
//! Chunk rows, their BM25 terms and their vectors change in one transaction per file, so
//! the three never disagree. The folder is derived data: deleting it (or damage, or an
//! older format) means it is rebuilt from the files.

use std::collections::HashMap;
use std::path::Path;

use aura_core::{Error, Result};
use rusqlite::{Connection, OptionalExtension, params};

use super::vectors::Quantized;
use crate::chunk::{Chunk, ChunkKind};

/// Bumped when the schema or what goes into it (chunking, terms) changes.
pub const FORMAT: i32 = 1;

pub fn sql_err(e: rusqlite::Error) -> Error {
    Error::internal(format!("semantic index: {e}"))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub id: i64,
    pub size: u64,
    pub mtime_ns: u64,
    pub hash: String,
}

/// A chunk as stored, with its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkRow {
    pub id: i64,
    pub path: String,
    pub language: String,
    pub symbol: Option<String>,
    pub kind: ChunkKind,
    pub parent: Option<String>,
    pub line_start: u32,
    pub line_end: u32,
    pub hash: String,
    pub embed_key: String,
}

/// A chunk to store: what the chunker found plus its BM25 terms and embedding key.
#[derive(Debug, Clone)]
pub struct NewChunk {
    pub chunk: Chunk,
    pub terms: Terms,
    pub embed_key: String,
}

/// BM25 columns, each a space-separated list of the code tokenizer's terms.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    pub name: String,
    pub path: String,
    pub body: String,
}

/// What [`Db::replace_file`] changed.
#[derive(Debug)]
pub struct Replaced {
    /// Chunk ids that are gone.
    pub removed: Vec<i64>,
    pub file_id: i64,
    /// Each new chunk's id, with the stored vector of its key when there is one.
    pub added: Vec<(i64, Option<Quantized>)>,
}

pub struct Db {
    conn: Connection,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Db")
    }
}

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  language TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE chunks (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  symbol TEXT,
  kind TEXT NOT NULL,
  parent TEXT,
  line_start INTEGER NOT NULL,
  line_end INTEGER NOT NULL,
  hash TEXT NOT NULL,
  embed_key TEXT NOT NULL,
  embedded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX chunks_file ON chunks(file_id);
CREATE INDEX chunks_key ON chunks(embed_key);
CREATE INDEX chunks_pending ON chunks(id) WHERE embedded = 0;
CREATE TABLE vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL);
CREATE VIRTUAL TABLE chunk_terms USING fts5(
  name, path, body,
  content = '', contentless_delete = 1,
  tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\"
);
";

impl Db {
    /// Opens the file, creating it, or starting over when it is damaged, from another
    /// format, or from another model (`model`). Returns whether it was (re)created.
    pub fn open(path: &Path, model: &str) -> Result<(Self, bool)> {
        match Self::try_open(path, model) {
            Ok(Some(db)) => Ok((db, false)),
            Ok(None) => Ok((Self::create(path, model)?, true)),
            Err(e) => {
                tracing::warn!(error = %e, path = %path.display(), "semantic index damaged; rebuilding");
                Ok((Self::create(path, model)?, true))
            }
        }
    }

    fn connect(path: &Path) -> Result<Connection> {
        let conn = Connection::open(path).map_err(sql_err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )
        .map_err(sql_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql_err)?;
        Ok(conn)
    }

    /// `None` when the file is missing or of another format.
    fn try_open(path: &Path, model: &str) -> Result<Option<Self>> {
        if !path.exists() {
            return Ok(None);
        }
        let conn = Self::connect(path)?;
        let version: i32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql_err)?;
        if version != FORMAT {
            return Ok(None);
        }
        let ok: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(sql_err)?;
        if ok != "ok" {
            return Err(Error::internal(format!("integrity check: {ok}")));
        }
        let db = Self { conn };
        let stored: Option<String> = db
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'model'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql_err)?;
        if stored.as_deref() != Some(model) {
            // Vectors of another model do not compare with this one's: embed again.
            db.conn
                .execute_batch("DELETE FROM vectors; UPDATE chunks SET embedded = 0;")
                .map_err(sql_err)?;
            db.set_model(model)?;
        }
        Ok(Some(db))
    }

    fn create(path: &Path, model: &str) -> Result<Self> {
        for suffix in ["", "-wal", "-shm"] {
            let p = path.with_file_name(format!(
                "{}{suffix}",
                path.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            ));
            if p.exists() {
                std::fs::remove_file(&p).map_err(|e| Error::from_io(&e, p.display()))?;
            }
        }
        let conn = Self::connect(path)?;
        conn.execute_batch(SCHEMA).map_err(sql_err)?;
        conn.pragma_update(None, "user_version", FORMAT)
            .map_err(sql_err)?;
        let db = Self { conn };
        db.set_model(model)?;
        Ok(db)
    }

    fn set_model(&self, model: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES ('model', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [model],
            )
            .map_err(sql_err)?;
        Ok(())
    }

    pub fn files(&self) -> Result<HashMap<String, FileRow>> {
        let mut st = self
            .conn
            .prepare("SELECT path, id, size, mtime_ns, hash FROM files")
            .map_err(sql_err)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    FileRow {
                        id: r.get(1)?,
                        size: r.get::<_, i64>(2)? as u64,
                        mtime_ns: r.get::<_, i64>(3)? as u64,
                        hash: r.get(4)?,
                    },
                ))
            })
            .map_err(sql_err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
    }

    /// Replaces everything stored for `path` with `chunks`.
    #[allow(clippy::too_many_arguments)]
    pub fn replace_file(
        &mut self,
        path: &str,
        language: &str,
        size: u64,
        mtime_ns: u64,
        hash: &str,
        chunks: &[NewChunk],
    ) -> Result<Replaced> {
        let tx = self.conn.transaction().map_err(sql_err)?;
        let removed = remove_in(&tx, path)?;
        tx.execute(
            "INSERT INTO files (path, language, size, mtime_ns, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![path, language, size as i64, mtime_ns as i64, hash],
        )
        .map_err(sql_err)?;
        let file_id = tx.last_insert_rowid();
        let mut added = Vec::with_capacity(chunks.len());
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO chunks (file_id, symbol, kind, parent, line_start, line_end, hash,
                     embed_key, embedded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(sql_err)?;
            let mut terms = tx
                .prepare_cached(
                    "INSERT INTO chunk_terms (rowid, name, path, body) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(sql_err)?;
            let mut vector = tx
                .prepare_cached("SELECT vec FROM vectors WHERE key = ?1")
                .map_err(sql_err)?;
            for c in chunks {
                let known: Option<Vec<u8>> = vector
                    .query_row([&c.embed_key], |r| r.get(0))
                    .optional()
                    .map_err(sql_err)?;
                let known = known.and_then(|b| Quantized::from_bytes(&b));
                insert
                    .execute(params![
                        file_id,
                        c.chunk.symbol,
                        c.chunk.kind.as_str(),
                        c.chunk.parent,
                        c.chunk.line_start,
                        c.chunk.line_end,
                        c.chunk.hash,
                        c.embed_key,
                        known.is_some(),
                    ])
                    .map_err(sql_err)?;
                let id = tx.last_insert_rowid();
                terms
                    .execute(params![id, c.terms.name, c.terms.path, c.terms.body])
                    .map_err(sql_err)?;
                added.push((id, known));
            }
        }
        tx.commit().map_err(sql_err)?;
        Ok(Replaced {
            removed,
            file_id,
            added,
        })
    }

    /// Forgets `path` (and everything under it, for a folder). Returns the chunk ids removed.
    pub fn remove(&mut self, path: &str) -> Result<Vec<i64>> {
        let tx = self.conn.transaction().map_err(sql_err)?;
        let removed = remove_in(&tx, path)?;
        tx.commit().map_err(sql_err)?;
        Ok(removed)
    }

    /// Up to `limit` chunks still waiting for a vector, oldest first.
    pub fn pending(&self, limit: usize) -> Result<Vec<ChunkRow>> {
        self.chunks_where(
            "c.embedded = 0 ORDER BY c.id LIMIT ?1",
            params![limit as i64],
        )
    }

    pub fn chunks_by_id(&self, ids: &[i64]) -> Result<Vec<ChunkRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.chunks_where("c.id = ?1", params![id])?);
        }
        Ok(out)
    }

    fn chunks_where(&self, clause: &str, args: impl rusqlite::Params) -> Result<Vec<ChunkRow>> {
        let sql = format!(
            "SELECT c.id, f.path, f.language, c.symbol, c.kind, c.parent, c.line_start,
                    c.line_end, c.hash, c.embed_key
             FROM chunks c JOIN files f ON f.id = c.file_id WHERE {clause}"
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(sql_err)?;
        let rows = st.query_map(args, row_to_chunk).map_err(sql_err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
    }

    /// Stores vectors by key and marks every chunk with such a key as embedded. Returns
    /// the chunks (id, file id) that now have a vector, with it.
    pub fn store_vectors(
        &mut self,
        vectors: &[(String, Quantized)],
    ) -> Result<Vec<(i64, i64, Quantized)>> {
        let tx = self.conn.transaction().map_err(sql_err)?;
        let mut out = Vec::new();
        {
            let mut put = tx
                .prepare_cached("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?1, ?2)")
                .map_err(sql_err)?;
            let mut mark = tx
                .prepare_cached(
                    "UPDATE chunks SET embedded = 1 WHERE embed_key = ?1 RETURNING id, file_id",
                )
                .map_err(sql_err)?;
            for (key, v) in vectors {
                put.execute(params![key, v.to_bytes()]).map_err(sql_err)?;
                let ids = mark
                    .query_map([key], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
                    .map_err(sql_err)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map_err(sql_err)?;
                out.extend(ids.into_iter().map(|(id, file)| (id, file, v.clone())));
            }
        }
        tx.commit().map_err(sql_err)?;
        Ok(out)
    }

    /// Every chunk (id, file id) that has a vector, with it (to build the in-memory index
    /// at open).
    pub fn all_vectors(&self) -> Result<Vec<(i64, i64, Quantized)>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT c.id, c.file_id, v.vec FROM chunks c JOIN vectors v ON v.key = c.embed_key",
            )
            .map_err(sql_err)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })
            .map_err(sql_err)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, file, bytes) = row.map_err(sql_err)?;
            if let Some(v) = Quantized::from_bytes(&bytes) {
                out.push((id, file, v));
            }
        }
        Ok(out)
    }

    /// Drops stored vectors no chunk uses any more (files deleted or rewritten).
    pub fn collect_garbage(&self) -> Result<usize> {
        self.conn
            .execute(
                "DELETE FROM vectors WHERE key NOT IN (SELECT embed_key FROM chunks)",
                [],
            )
            .map_err(sql_err)
    }

    /// The ids of the files matching `keep(path, language)`.
    pub fn file_ids_where(
        &self,
        keep: &dyn Fn(&str, &str) -> bool,
    ) -> Result<std::collections::HashSet<i64>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, path, language FROM files")
            .map_err(sql_err)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(sql_err)?;
        let mut out = std::collections::HashSet::new();
        for row in rows {
            let (id, path, lang) = row.map_err(sql_err)?;
            if keep(&path, &lang) {
                out.insert(id);
            }
        }
        Ok(out)
    }

    /// BM25 over chunk terms: `query` is an FTS5 match expression. Best first, at most
    /// `limit`; the score is FTS5's (lower is better), negated so higher is better.
    pub fn bm25(&self, query: &str, limit: usize) -> Result<Vec<(i64, f32)>> {
        // The symbol's name weighs most, then the path, then the body.
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT rowid, bm25(chunk_terms, 6.0, 2.0, 1.0) AS s FROM chunk_terms
                 WHERE chunk_terms MATCH ?1 ORDER BY s LIMIT ?2",
            )
            .map_err(sql_err)?;
        let rows = st
            .query_map(params![query, limit as i64], |r| {
                Ok((r.get::<_, i64>(0)?, -r.get::<_, f64>(1)? as f32))
            })
            .map_err(sql_err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
    }

    /// Every named chunk (for workspace symbols), one row per symbol and file.
    pub fn symbols(&self) -> Result<Vec<ChunkRow>> {
        self.chunks_where(
            "c.symbol IS NOT NULL AND c.id IN (SELECT MIN(id) FROM chunks
               WHERE symbol IS NOT NULL GROUP BY file_id, symbol, parent, kind)",
            [],
        )
    }

    /// (chunks, chunks with a vector, files).
    pub fn counts(&self) -> Result<(u64, u64, u64)> {
        self.conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM chunks), (SELECT COUNT(*) FROM chunks WHERE embedded = 1),
                        (SELECT COUNT(*) FROM files)",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64)),
            )
            .map_err(sql_err)
    }
}

fn row_to_chunk(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChunkRow> {
    let kind: String = r.get(4)?;
    Ok(ChunkRow {
        id: r.get(0)?,
        path: r.get(1)?,
        language: r.get(2)?,
        symbol: r.get(3)?,
        kind: ChunkKind::parse(&kind).unwrap_or(ChunkKind::Block),
        parent: r.get(5)?,
        line_start: r.get(6)?,
        line_end: r.get(7)?,
        hash: r.get(8)?,
        embed_key: r.get(9)?,
    })
}

/// Deletes the file rows for `path` or under it, their chunks and BM25 terms.
fn remove_in(tx: &rusqlite::Transaction<'_>, path: &str) -> Result<Vec<i64>> {
    let prefix = format!("{path}/");
    let mut ids = Vec::new();
    {
        let mut st = tx
            .prepare_cached(
                "SELECT c.id FROM chunks c JOIN files f ON f.id = c.file_id
                 WHERE f.path = ?1 OR substr(f.path, 1, length(?2)) = ?2 OR ?1 = ''",
            )
            .map_err(sql_err)?;
        let rows = st
            .query_map(params![path, prefix], |r| r.get::<_, i64>(0))
            .map_err(sql_err)?;
        for id in rows {
            ids.push(id.map_err(sql_err)?);
        }
        let mut del = tx
            .prepare_cached("DELETE FROM chunk_terms WHERE rowid = ?1")
            .map_err(sql_err)?;
        for id in &ids {
            del.execute([id]).map_err(sql_err)?;
        }
    }
    tx.execute(
        "DELETE FROM files WHERE path = ?1 OR substr(path, 1, length(?2)) = ?2 OR ?1 = ''",
        params![path, prefix],
    )
    .map_err(sql_err)?;
    Ok(ids)
}
