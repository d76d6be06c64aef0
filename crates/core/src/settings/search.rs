//! `[search]`: code intelligence (the text index is always on; semantic search is optional).

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::Error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct SearchSettings {
    /// Chunk, embed and search by meaning (local model; nothing leaves the machine).
    pub semantic: bool,
    /// Threads the embedding model may use in the background.
    pub embed_threads: u8,
    /// A folder holding `libonnxruntime.so.*` and `all-minilm-l6-v2/`; empty means the
    /// usual places (`AURA_EMBED_DIR`, the package, the data dir, the source tree).
    pub model_dir: String,
}

impl Default for SearchSettings {
    fn default() -> Self {
        Self {
            semantic: true,
            embed_threads: 1,
            model_dir: String::new(),
        }
    }
}

impl SearchSettings {
    pub fn validate(&self) -> crate::Result<()> {
        if !(1..=16).contains(&self.embed_threads) {
            return Err(Error::invalid(format!(
                "search.embed_threads: must be between 1 and 16 (got {})",
                self.embed_threads
            )));
        }
        Ok(())
    }

    /// The configured model folder, if one is set.
    pub fn model_dir(&self) -> Option<std::path::PathBuf> {
        let d = self.model_dir.trim();
        (!d.is_empty()).then(|| std::path::PathBuf::from(d))
    }
}

#[cfg(test)]
mod tests {
    use crate::settings::Settings;

    #[test]
    fn threads_are_range_checked_by_name() {
        let e = Settings::from_toml("[search]\nembed_threads = 0\n").unwrap_err();
        assert!(
            e.message.starts_with("search.embed_threads:"),
            "{}",
            e.message
        );
        let ok = Settings::from_toml("[search]\nsemantic = false\nembed_threads = 2\n").unwrap();
        assert!(!ok.settings.search.semantic);
        assert_eq!(ok.settings.search.embed_threads, 2);
        assert_eq!(ok.settings.search.model_dir(), None);
    }
}
