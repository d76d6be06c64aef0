//! Semantic search, hybrid retrieval and workspace symbols: the semantic index of each
//! open project, started with its text index, and the process's one embedding model.
//!
//! `search.semantic = false` only turns the model off: chunking, word-ranked retrieval and
//! workspace symbols keep working, as they do when the model files are missing.

use std::sync::Arc;
use std::time::Duration;

use aura_core::{Error, ErrorCode, ProjectId, Result};
use aura_fs::ProjectRoot;
use aura_index::DEFAULT_MAX_FILE_BYTES;
use aura_index::chunk::ChunkLimits;
use aura_index::semantic::{
    EmbedService, ModelFiles, Retrieval, RetrievalQuery, SemanticIndex, SemanticOptions,
    SemanticStatus, SymbolMatch,
};

use crate::{App, lock};

/// Receives semantic index status changes of every project (the desktop forwards them).
pub type SemanticListener = Arc<dyn Fn(&ProjectId, &SemanticStatus) + Send + Sync>;

impl App {
    pub fn set_semantic_listener(&self, listener: SemanticListener) {
        *lock(&self.semantic_listener) = Some(listener);
    }

    /// The embedding model service, located on first use from the settings.
    pub(crate) fn embed_service(&self) -> Arc<EmbedService> {
        let search = self.settings().search;
        self.embed
            .get_or_init(|| {
                let files = if search.semantic {
                    ModelFiles::locate(search.model_dir().as_deref(), Some(&self.dirs.data))
                } else {
                    Err(Error::new(
                        ErrorCode::EmbedderUnavailable,
                        "semantic search is turned off (search.semantic = false in settings.toml)",
                    ))
                };
                if let Err(e) = &files {
                    tracing::info!(reason = %e.message, "semantic search by meaning is off");
                }
                EmbedService::new(files, usize::from(search.embed_threads))
            })
            .clone()
    }

    pub(crate) fn start_semantic(
        &self,
        id: &ProjectId,
        root: &ProjectRoot,
    ) -> Result<Arc<SemanticIndex>> {
        let slot = Arc::clone(&self.semantic_listener);
        let pid = id.clone();
        let opts = SemanticOptions {
            dir: self.dirs.project_data(id).join("index").join("semantic"),
            embed: self.embed_service(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            limits: ChunkLimits::default(),
            // Looked up on every report, so a listener set after the project opened hears.
            progress: Some(Arc::new(move |status: &SemanticStatus| {
                let listener = lock(&slot).clone();
                if let Some(listener) = listener {
                    listener(&pid, status);
                }
            })),
        };
        Ok(Arc::new(SemanticIndex::open(root.clone(), opts)?))
    }

    /// The semantic index of a project, opening the project and starting it if needed.
    pub fn semantic(&self, project: &str) -> Result<Arc<SemanticIndex>> {
        let id = ProjectId::parse(project)?;
        let root = self.root(project)?;
        let mut open = self.open_projects();
        let entry = open
            .get_mut(&id)
            .ok_or_else(|| Error::not_found(format!("project {id} is not open")))?;
        if let Some(s) = &entry.semantic {
            return Ok(Arc::clone(s));
        }
        let s = self.start_semantic(&id, &root)?;
        entry.semantic = Some(Arc::clone(&s));
        Ok(s)
    }

    /// Chunks of the project ranked for `q`: by words, by meaning, or both fused. This is
    /// what AI context (`@codebase`) and the Search panel's semantic mode use.
    pub fn retrieve(&self, project: &str, q: &RetrievalQuery) -> Result<Retrieval> {
        self.semantic(project)?.retrieve(q)
    }

    /// Go to symbol in workspace.
    pub fn search_symbols(
        &self,
        project: &str,
        query: &str,
        limit: usize,
    ) -> Result<Vec<SymbolMatch>> {
        self.semantic(project)?.symbols(query, limit)
    }

    pub fn semantic_status(&self, project: &str) -> Result<SemanticStatus> {
        Ok(self.semantic(project)?.status())
    }

    /// Pauses or resumes chunking and embedding in the background.
    pub fn semantic_pause(&self, project: &str, paused: bool) -> Result<()> {
        self.semantic(project)?.set_paused(paused);
        Ok(())
    }

    /// Waits (up to `timeout`) until nothing is left to chunk or embed; for the CLI and tests.
    pub fn semantic_wait(&self, project: &str, timeout: Duration) -> Result<SemanticStatus> {
        Ok(self.semantic(project)?.wait_idle(timeout))
    }
}
