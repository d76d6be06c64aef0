//! Local embeddings: all-MiniLM-L6-v2 (int8 ONNX, 384 dimensions) through fastembed, with
//! ONNX Runtime loaded from a file on disk. Nothing is downloaded at run time: the files
//! come from `scripts/fetch-embed` (or the package), and when they are missing semantic
//! search says exactly that and how to fix it, while everything else keeps working.
//!
//! One [`EmbedService`] serves every project of the process: the model is loaded on first
//! use and dropped again after a while without work, so an idle window does not keep a
//! few hundred MB of inference buffers.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use aura_core::{Error, ErrorCode, Result};
use fastembed::{
    InitOptionsUserDefined, Pooling, TextEmbedding, TokenizerFiles, UserDefinedEmbeddingModel,
};

use crate::project::lock;

/// Output size of the model.
pub const DIM: usize = 384;
/// Tokens the model reads per text; longer chunks are cut (their start carries the name,
/// signature and doc comment, which is what a query matches best).
pub const MAX_TOKENS: usize = 256;
/// Names the vectors this model makes; stored vectors from another model are not reused.
pub const MODEL_ID: &str = "all-minilm-l6-v2-int8/mean/256";
const MODEL_FOLDER: &str = "all-minilm-l6-v2";
const ORT_FILE: &str = "libonnxruntime.so.1.31.1";
/// Measured on this class of machine: batches of 8 beat 32 and need a quarter of the memory.
const BATCH: usize = 8;

/// Where the model and ONNX Runtime are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFiles {
    pub ort_library: PathBuf,
    pub model_dir: PathBuf,
}

impl ModelFiles {
    /// Looks in order: `explicit` (from settings), `AURA_EMBED_DIR`, next to the executable
    /// (`../lib/aura/embed`, the package layout), `data_dir/embed`, and the source tree's
    /// `vendor/embed` (where `scripts/fetch-embed` puts them). The error lists every place
    /// looked at and the command that fixes it.
    pub fn locate(explicit: Option<&Path>, data_dir: Option<&Path>) -> Result<Self> {
        let mut candidates: Vec<PathBuf> = Vec::new();
        candidates.extend(explicit.map(Path::to_path_buf));
        candidates.extend(std::env::var_os("AURA_EMBED_DIR").map(PathBuf::from));
        if let Ok(exe) = std::env::current_exe()
            && let Some(dir) = exe.parent()
        {
            candidates.push(dir.join("../lib/aura/embed"));
            candidates.push(dir.join("embed"));
        }
        candidates.extend(data_dir.map(|d| d.join("embed")));
        candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vendor/embed"));
        Self::find(&candidates)
    }

    /// The first of `dirs` that holds a complete set of files.
    pub fn find(dirs: &[PathBuf]) -> Result<Self> {
        let mut tried = Vec::new();
        for dir in dirs {
            let files = Self {
                ort_library: dir.join(ORT_FILE),
                model_dir: dir.join(MODEL_FOLDER),
            };
            if files.complete() {
                return Ok(files);
            }
            tried.push(dir.display().to_string());
        }
        Err(Error::new(
            ErrorCode::EmbedderUnavailable,
            format!(
                "semantic search is unavailable: the local embedding model was not found \
                 (looked in {}). Fix: run scripts/fetch-embed in Aura's source folder (or \
                 scripts/setup), or set AURA_EMBED_DIR to a folder holding {ORT_FILE} and \
                 {MODEL_FOLDER}/. Text, regex and symbol search work without it.",
                tried.join(", ")
            ),
        ))
    }

    fn complete(&self) -> bool {
        self.ort_library.is_file()
            && [
                "model.onnx",
                "tokenizer.json",
                "config.json",
                "special_tokens_map.json",
            ]
            .iter()
            .all(|f| self.model_dir.join(f).is_file())
    }
}

fn unavailable(what: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::EmbedderUnavailable,
        format!("semantic search is unavailable: {what}"),
    )
}

/// ONNX Runtime can be loaded once per process; every later call gets the same outcome.
fn environment(library: &Path) -> Result<ort::environment::Environment> {
    static ENV: OnceLock<std::result::Result<ort::environment::Environment, String>> =
        OnceLock::new();
    ENV.get_or_init(|| {
        let builder = ort::init_from(library).map_err(|e| {
            format!(
                "ONNX Runtime could not be loaded from {}: {e}",
                library.display()
            )
        })?;
        builder
            .with_name("aura")
            .build()
            .map_err(|e| format!("ONNX Runtime did not start: {e}"))
    })
    .clone()
    .map_err(unavailable)
}

/// A loaded model.
pub struct Embedder {
    model: TextEmbedding,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Embedder")
    }
}

impl Embedder {
    /// Loads the model with `threads` inference threads.
    pub fn load(files: &ModelFiles, threads: usize) -> Result<Self> {
        let env = environment(&files.ort_library)?;
        let read = |name: &str| {
            let p = files.model_dir.join(name);
            std::fs::read(&p).map_err(|e| unavailable(format!("{}: {e}", p.display())))
        };
        let tokenizer = TokenizerFiles {
            tokenizer_file: read("tokenizer.json")?,
            config_file: read("config.json")?,
            special_tokens_map_file: read("special_tokens_map.json")?,
            tokenizer_config_file: read("tokenizer_config.json").unwrap_or_else(|_| b"{}".to_vec()),
        };
        let model = UserDefinedEmbeddingModel::new(read("model.onnx")?, tokenizer)
            .with_pooling(Pooling::Mean);
        let options = InitOptionsUserDefined::new()
            .with_environment(env)
            .with_max_length(MAX_TOKENS)
            .with_intra_threads(threads.max(1));
        let model = TextEmbedding::try_new_from_user_defined(model, options)
            .map_err(|e| unavailable(format!("the model did not load: {e}")))?;
        Ok(Self { model })
    }

    /// Unit-length vectors for `texts`, in order.
    pub fn embed<S: AsRef<str> + Send + Sync>(&mut self, texts: &[S]) -> Result<Vec<Vec<f32>>> {
        let out = self
            .model
            .embed(texts, Some(BATCH))
            .map_err(|e| Error::internal(format!("embedding failed: {e}")))?;
        Ok(out.into_iter().map(normalize).collect())
    }
}

fn normalize(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

/// Hands memory the allocator holds free back to the OS. glibc keeps what the model's
/// inference threads (and, earlier, the indexers) freed in its arenas for reuse, so
/// dropping the model alone barely lowers the resident size of an idle window. The call is
/// process-wide, and this is the moment the process is known to be idle.
#[allow(unsafe_code)]
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes the allocator's own locks and touches only free memory.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The process's embedder: located once, loaded when needed, unloaded when idle.
pub struct EmbedService {
    files: Result<ModelFiles>,
    threads: usize,
    idle_unload: Duration,
    loaded: Mutex<Option<(Embedder, Instant)>>,
}

impl std::fmt::Debug for EmbedService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbedService")
            .field("files", &self.files)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl EmbedService {
    /// `files` is the outcome of [`ModelFiles::locate`]; an error is kept and reported by
    /// every call, so semantic search says why it is off.
    pub fn new(files: Result<ModelFiles>, threads: usize) -> Arc<Self> {
        Arc::new(Self {
            files,
            threads: threads.max(1),
            idle_unload: Duration::from_secs(120),
            loaded: Mutex::new(None),
        })
    }

    /// Why semantic search cannot run, if it cannot.
    pub fn unavailable(&self) -> Option<Error> {
        self.files.as_ref().err().cloned()
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Embeds `texts`, loading the model first if needed.
    pub fn embed<S: AsRef<str> + Send + Sync>(&self, texts: &[S]) -> Result<Vec<Vec<f32>>> {
        let files = self.files.as_ref().map_err(Clone::clone)?;
        let mut slot = lock(&self.loaded);
        if slot.is_none() {
            let started = Instant::now();
            let embedder = Embedder::load(files, self.threads)?;
            tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                "embedding model loaded"
            );
            *slot = Some((embedder, Instant::now()));
        }
        let (embedder, used) = slot.as_mut().expect("the model was loaded just above");
        *used = Instant::now();
        embedder.embed(texts)
    }

    /// Drops the model when it has not been used for a while (called by idle workers).
    pub fn unload_if_idle(&self) {
        let mut slot = lock(&self.loaded);
        if slot
            .as_ref()
            .is_some_and(|(_, used)| used.elapsed() > self.idle_unload)
        {
            *slot = None;
            release_freed_memory();
            tracing::info!("embedding model unloaded after idling");
        }
    }

    pub fn is_loaded(&self) -> bool {
        lock(&self.loaded).is_some()
    }
}
