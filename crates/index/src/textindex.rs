//! The tantivy side: schema, opening (and rebuilding when corrupt or outdated), the
//! per-file bookkeeping stored with each document, and candidate lookup by trigrams.
//!
//! One document per project file that was listed, text or not, so a restart can tell from
//! size and mtime alone which files changed:
//! - `path` (raw, stored): the key for updates and deletes;
//! - `language` (raw, stored), `kind` (`text` | `binary` | `large`);
//! - `content` (code tokenizer, with frequencies for BM25; not stored: the file is the
//!   truth, and results are verified on it);
//! - `tri` (indexed u64 values): the distinct folded trigrams and hashed 4-grams;
//! - `hash` (blake3 of the bytes), `size`, `mtime` (stored).

use std::collections::HashMap;
use std::path::Path;

use aura_core::{Error, ErrorCode, Result};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, IndexSettings, ReloadPolicy, TantivyDocument, Term};

use crate::prefilter::Req;
use crate::tokenizer::{CODE_TOKENIZER, CodeTokenizer};
use crate::trigram;

/// Bump when the schema or the meaning of a field changes: older folders are rebuilt.
pub const FORMAT_VERSION: u32 = 2;
const FORMAT_FILE: &str = "aura-format";
/// A literal's trigrams beyond this many add little selectivity and cost a posting list
/// each; they are sampled evenly.
const MAX_TRIGRAMS_PER_LITERAL: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Binary,
    Large,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Binary => "binary",
            Kind::Large => "large",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "binary" => Kind::Binary,
            "large" => Kind::Large,
            _ => Kind::Text,
        }
    }
}

/// What the index remembers about a file, to decide whether it must be read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMeta {
    pub size: u64,
    pub mtime_ns: u64,
    pub hash: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub path: Field,
    pub language: Field,
    pub kind: Field,
    pub content: Field,
    pub tri: Field,
    pub hash: Field,
    pub size: Field,
    pub mtime: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let content = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(CODE_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        path: b.add_text_field("path", STRING | STORED),
        language: b.add_text_field("language", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        content: b.add_text_field("content", content),
        tri: b.add_u64_field("tri", INDEXED),
        hash: b.add_text_field("hash", STORED),
        size: b.add_u64_field("size", STORED),
        mtime: b.add_u64_field("mtime", STORED),
    };
    (b.build(), fields)
}

/// An open index and a reader on it. Shared between the indexing thread and searches.
pub struct TextIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
}

impl std::fmt::Debug for TextIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextIndex").finish_non_exhaustive()
    }
}

pub fn tantivy_err(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Internal, format!("text index: {e}"))
}

impl TextIndex {
    /// Opens the index in `dir` with its file table, or starts an empty one when the folder
    /// is missing, from another format version, or damaged. Returns whether it was (re)built
    /// from scratch.
    pub fn open_or_create(dir: &Path) -> Result<(Self, HashMap<String, FileMeta>, bool)> {
        match Self::open_existing(dir) {
            Ok(Some((ix, table))) => return Ok((ix, table, false)),
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(dir = %dir.display(), error = %e, "text index damaged; rebuilding")
            }
        }
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| Error::from_io(&e, dir.display()))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::from_io(&e, dir.display()))?;
        let (schema, fields) = schema();
        let mmap = MmapDirectory::open(dir).map_err(tantivy_err)?;
        let index = Index::create(mmap, schema, IndexSettings::default()).map_err(tantivy_err)?;
        let ix = Self::wrap(index, fields)?;
        // Written last: a folder without it (a crash right here) is rebuilt next time.
        std::fs::write(dir.join(FORMAT_FILE), format!("{FORMAT_VERSION}\n"))
            .map_err(|e| Error::from_io(&e, dir.display()))?;
        Ok((ix, HashMap::new(), true))
    }

    /// `Ok(None)` when there is nothing usable to open (missing or other version).
    fn open_existing(dir: &Path) -> Result<Option<(Self, HashMap<String, FileMeta>)>> {
        let Ok(format) = std::fs::read_to_string(dir.join(FORMAT_FILE)) else {
            return Ok(None);
        };
        if format.trim() != FORMAT_VERSION.to_string() {
            tracing::info!(
                found = format.trim(),
                "text index from another version; rebuilding"
            );
            return Ok(None);
        }
        let index = Index::open_in_dir(dir).map_err(tantivy_err)?;
        let (expected, fields) = schema();
        if index.schema() != expected {
            return Ok(None);
        }
        // Checksums catch a damaged segment now rather than as a failed search later.
        let bad = index.validate_checksum().map_err(tantivy_err)?;
        if !bad.is_empty() {
            return Err(tantivy_err(format!("{} damaged files", bad.len())));
        }
        let ix = Self::wrap(index, fields)?;
        let table = ix.load_table()?;
        Ok(Some((ix, table)))
    }

    fn wrap(index: Index, fields: Fields) -> Result<Self> {
        index
            .tokenizers()
            .register(CODE_TOKENIZER, TextAnalyzer::from(CodeTokenizer));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_err)?;
        Ok(Self {
            index,
            reader,
            fields,
        })
    }

    /// Every file the index knows, with what it knew of it.
    pub fn load_table(&self) -> Result<HashMap<String, FileMeta>> {
        let searcher = self.reader.searcher();
        let f = self.fields;
        let mut table = HashMap::new();
        for seg in searcher.segment_readers() {
            let store = seg.get_store_reader(1).map_err(tantivy_err)?;
            for doc in store.iter::<TantivyDocument>(seg.alive_bitset()) {
                let doc = doc.map_err(tantivy_err)?;
                let text = |field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                let num = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
                table.insert(
                    text(f.path),
                    FileMeta {
                        size: num(f.size),
                        mtime_ns: num(f.mtime),
                        hash: text(f.hash),
                        kind: Kind::parse(&text(f.kind)),
                    },
                );
            }
        }
        Ok(table)
    }

    /// The document for a file; `text` is `None` for binary and large files.
    pub fn document(
        &self,
        path: &str,
        meta: &FileMeta,
        text: Option<&str>,
        trigrams: &[u64],
    ) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.path, path);
        let name = path.rsplit('/').next().unwrap_or(path);
        doc.add_text(f.language, aura_core::language::language_of(name));
        doc.add_text(f.kind, meta.kind.as_str());
        doc.add_text(f.hash, &meta.hash);
        doc.add_u64(f.size, meta.size);
        doc.add_u64(f.mtime, meta.mtime_ns);
        if let Some(text) = text {
            doc.add_text(f.content, text);
            for &t in trigrams {
                doc.add_u64(f.tri, t);
            }
        }
        doc
    }

    pub fn path_term(&self, path: &str) -> Term {
        Term::from_field_text(self.fields.path, path)
    }

    /// Text files that may satisfy `req`, or `None` when `req` cannot narrow anything.
    pub fn candidates(&self, req: &Req) -> Result<Option<Vec<String>>> {
        let Some(query) = self.query(req) else {
            return Ok(None);
        };
        let searcher = self.reader.searcher();
        let docs = searcher
            .search(&query, &tantivy::collector::DocSetCollector)
            .map_err(tantivy_err)?;
        let mut docs: Vec<DocAddress> = docs.into_iter().collect();
        docs.sort();
        let mut out = Vec::with_capacity(docs.len());
        for addr in docs {
            let doc: TantivyDocument = searcher.doc(addr).map_err(tantivy_err)?;
            if let Some(p) = doc.get_first(self.fields.path).and_then(|v| v.as_str()) {
                out.push(p.to_owned());
            }
        }
        Ok(Some(out))
    }

    fn query(&self, req: &Req) -> Option<Box<dyn Query>> {
        match req {
            Req::True => None,
            Req::Lit(folded) => {
                let tris = trigram::terms_of_folded(folded);
                let step = tris.len().div_ceil(MAX_TRIGRAMS_PER_LITERAL).max(1);
                let clauses: Vec<(Occur, Box<dyn Query>)> = tris
                    .iter()
                    .step_by(step)
                    .map(|&t| {
                        let term = Term::from_field_u64(self.fields.tri, t);
                        let q: Box<dyn Query> =
                            Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                        (Occur::Must, q)
                    })
                    .collect();
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Req::All(items) => {
                let clauses: Vec<(Occur, Box<dyn Query>)> = items
                    .iter()
                    .filter_map(|r| self.query(r))
                    .map(|q| (Occur::Must, q))
                    .collect();
                (!clauses.is_empty())
                    .then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Req::Any(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for r in items {
                    clauses.push((Occur::Should, self.query(r)?));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
        }
    }
}
