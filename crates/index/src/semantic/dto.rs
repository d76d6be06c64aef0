//! What semantic search, retrieval and workspace symbols hand out (serde + specta,
//! camelCase for the TypeScript side).

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::chunk::ChunkKind;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum RetrievalMode {
    /// Ranked words only (works without the embedding model).
    Bm25,
    /// Meaning only (needs the model and the vectors).
    Vector,
    /// Both, fused by reciprocal rank.
    #[default]
    Hybrid,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RetrievalQuery {
    /// Natural language or code words.
    pub query: String,
    /// How many chunks to return (1..=200; default 10).
    pub k: Option<u32>,
    pub mode: RetrievalMode,
    /// Only chunks of files matching this glob (e.g. `src/**` or `*.rs`).
    pub path_glob: Option<String>,
    /// Only chunks of this language id (`rust`, `python`, ...).
    pub language: Option<String>,
}

/// A chunk with where it is: what the Search panel lists and what AI context cites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RetrievedChunk {
    pub path: String,
    pub language: String,
    pub symbol: Option<String>,
    pub kind: ChunkKind,
    pub parent: Option<String>,
    /// 1-based, inclusive.
    pub line_start: u32,
    pub line_end: u32,
    /// The chunk's lines as they are on disk now.
    pub content: String,
    /// Higher is better; comparable within one result only.
    pub score: f32,
    /// 1-based rank in the word (BM25) list, if the chunk was in it.
    pub bm25_rank: Option<u32>,
    /// 1-based rank in the vector list, if the chunk was in it.
    pub vector_rank: Option<u32>,
    /// The file changed since the chunk was indexed (it will be re-indexed shortly).
    pub stale: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Retrieval {
    pub chunks: Vec<RetrievedChunk>,
    /// Vectors took part (the model is there and chunks are embedded).
    pub semantic_available: bool,
    /// Why the result is narrower than asked (no model yet, still embedding, ...).
    pub note: Option<String>,
    pub elapsed_ms: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum SemanticState {
    Starting,
    /// Reading and chunking files (symbols and word search fill in as it goes).
    Chunking,
    /// Computing vectors for new or changed chunks.
    Embedding,
    Ready,
    Paused,
    /// The model or ONNX Runtime is missing: words and symbols work, meaning does not.
    Unavailable,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SemanticStatus {
    pub state: SemanticState,
    pub files_done: u32,
    pub files_total: u32,
    pub chunks: u32,
    pub chunks_embedded: u32,
    /// Recent embedding speed.
    pub chunks_per_second: Option<f32>,
    pub eta_ms: Option<u32>,
    /// For Unavailable and Failed: what is wrong and how to fix it.
    pub message: Option<String>,
}

impl SemanticStatus {
    pub(crate) fn starting() -> Self {
        Self {
            state: SemanticState::Starting,
            files_done: 0,
            files_total: 0,
            chunks: 0,
            chunks_embedded: 0,
            chunks_per_second: None,
            eta_ms: None,
            message: None,
        }
    }
}

/// A workspace symbol ("go to symbol in workspace", Ctrl+T).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SymbolMatch {
    pub name: String,
    pub kind: ChunkKind,
    pub parent: Option<String>,
    pub path: String,
    pub line: u32,
    pub score: u32,
    /// UTF-16 offsets into `name` of the matched characters, ascending.
    pub indices: Vec<u32>,
}
