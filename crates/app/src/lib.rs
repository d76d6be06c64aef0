//! aura-app: the application layer of Aura.
//!
//! One method of [`App`] per user-visible operation (create a project, open a folder, save
//! a file, ...). The desktop shell and the CLI are thin adapters over it, so both behave
//! the same and every operation can be tested without a window. It owns the session state:
//! the database, the settings, and the projects open in this process with their watchers.

mod ai;
mod config;
mod dto;
pub mod exec;
mod files;
pub mod logging;
mod projects;
mod search;
mod semantic;
pub mod templates;

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use aura_core::paths::AuraDirs;
use aura_core::settings::Settings;
use aura_core::{Error, ProjectId, Result};
use aura_fs::{FsEvent, ProjectRoot, Watcher};
use aura_index::ProjectIndex;
use aura_store::Store;

pub use ai::{
    ChatContext, ChatEvent, ChatInput, ChatMessageView, ChatMeta, ChatResult, ChatSummary,
    Completion, CompletionInput, EditApplied, EditInput, EditProposal, ProvidersView, Selection,
    UsageCall, UsageDay, UsageView,
};
pub use aura_ai::{
    Answer, Attempt, BreakerState, Citation, ContextKind, EditAction, HealthReport, Hunk, KeyState,
    ProviderInfo, Usage,
};
pub use aura_index::chunk::ChunkKind;
pub use aura_index::semantic::{
    Retrieval, RetrievalMode, RetrievalQuery, RetrievedChunk, SemanticState, SemanticStatus,
    SymbolMatch,
};
pub use aura_index::{
    FileMatches, FileProblem, FileTarget, IndexState, IndexStatus, MatchRange, PathMatch,
    ReplaceFilePreview, ReplaceMatch, ReplacePreview, ReplaceResult, SearchBatch, SearchLine,
    SearchQuery, SearchSummary, UndoResult,
};
pub use aura_store::ProjectUpdate;
pub use config::SettingsSaved;
pub use dto::{AppInfo, ProjectInfo, TemplateInfo};
pub use search::IndexListener;
pub use semantic::SemanticListener;

/// Receives watcher batches for every project opened with watching on.
pub type FsListener = Arc<dyn Fn(&ProjectId, Vec<FsEvent>) + Send + Sync>;

pub struct App {
    dirs: AuraDirs,
    store: Store,
    settings: RwLock<Settings>,
    /// Problems found at start-up (a bad settings.toml) for the UI to show.
    startup_warnings: Vec<String>,
    open: Mutex<HashMap<ProjectId, OpenProject>>,
    listener: Mutex<Option<FsListener>>,
    /// Shared with each index's progress callback, which looks it up on every report.
    index_listener: Arc<Mutex<Option<IndexListener>>>,
    /// The running search of each project, to cancel it when another starts.
    searches: Mutex<HashMap<ProjectId, Arc<AtomicBool>>>,
    /// The AI engine (built on first use), running requests, pending edit previews.
    ai: ai::AiState,
    semantic_listener: Arc<Mutex<Option<SemanticListener>>>,
    /// The embedding model, shared by every project; located on first use.
    embed: std::sync::OnceLock<Arc<aura_index::semantic::EmbedService>>,
    /// Terminals and runs; all of them end with the app.
    exec: exec::ExecState,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("dirs", &self.dirs)
            .finish_non_exhaustive()
    }
}

struct OpenProject {
    root: ProjectRoot,
    /// Kept alive while the project is open; dropping it stops watching.
    _watcher: Option<Watcher>,
    /// The live text index; dropping it stops its thread (the files on disk stay).
    index: Option<Arc<ProjectIndex>>,
    /// Chunks, symbols and vectors; dropping it stops its thread.
    semantic: Option<Arc<aura_index::semantic::SemanticIndex>>,
}

impl App {
    /// Starts the application layer: creates Aura's dirs, opens (and migrates) the
    /// database, loads settings.toml (writing the defaults on first run).
    pub fn start(dirs: AuraDirs) -> Result<Self> {
        for d in [&dirs.config, &dirs.data, &dirs.cache, &dirs.logs] {
            std::fs::create_dir_all(d).map_err(|e| Error::from_io(&e, d.display()))?;
        }
        let store = Store::open(&dirs.database_file())?;
        let (settings, startup_warnings) = config::load_or_init(&dirs)?;
        Ok(Self {
            dirs,
            store,
            settings: RwLock::new(settings),
            startup_warnings,
            open: Mutex::new(HashMap::new()),
            listener: Mutex::new(None),
            index_listener: Arc::new(Mutex::new(None)),
            searches: Mutex::new(HashMap::new()),
            ai: ai::AiState::default(),
            semantic_listener: Arc::new(Mutex::new(None)),
            embed: std::sync::OnceLock::new(),
            exec: exec::ExecState::new(),
        })
    }

    /// Starts from `AURA_HOME` or the OS dirs.
    pub fn start_from_env() -> Result<Self> {
        Self::start(AuraDirs::from_env()?)
    }

    pub fn dirs(&self) -> &AuraDirs {
        &self.dirs
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.dirs.data.display().to_string(),
            config_file: self.dirs.settings_file().display().to_string(),
            log_dir: self.dirs.logs.display().to_string(),
            warnings: self.startup_warnings.clone(),
        }
    }

    /// Every project opened from now on reports its file changes to `listener`.
    pub fn set_fs_listener(&self, listener: FsListener) {
        *lock(&self.listener) = Some(listener);
    }

    fn open_projects(&self) -> MutexGuard<'_, HashMap<ProjectId, OpenProject>> {
        lock(&self.open)
    }
}

/// Locks a mutex, continuing after a panic elsewhere: the guarded maps stay consistent
/// because every update to them is a single insert or remove.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
