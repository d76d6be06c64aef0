//! aura-testkit: what Aura's tests share.
//!
//! [`TestHome`] is a private `AURA_HOME` (config, data, cache, logs) in a temp folder, so no
//! test touches the real user dirs; [`TempProject`] is a folder of real files. Both are
//! removed when dropped. [`provider::ProviderServer`] is a local AI provider that speaks the
//! real wire formats and misbehaves on request. Only ever a `[dev-dependency]`.

// Test support: a failure here is a broken test environment, and panicking says so.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

pub mod provider;

use std::path::{Path, PathBuf};

use aura_core::paths::AuraDirs;

/// A private Aura home. Pass [`TestHome::env`] to child processes.
#[derive(Debug)]
pub struct TestHome {
    dir: tempfile::TempDir,
}

impl TestHome {
    pub fn new() -> Self {
        Self {
            dir: tempfile::Builder::new()
                .prefix("aura-home-")
                .tempdir()
                .unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn dirs(&self) -> AuraDirs {
        AuraDirs::under(self.dir.path())
    }

    /// Environment for a child process: AURA_HOME here, and HOME/XDG dirs inside it too so
    /// that nothing the child does (the OS trash, for one) reaches the real home.
    pub fn env(&self) -> Vec<(&'static str, PathBuf)> {
        let h = self.dir.path();
        vec![
            ("AURA_HOME", h.to_path_buf()),
            ("HOME", h.join("home")),
            ("XDG_DATA_HOME", h.join("home/.local/share")),
            ("XDG_CONFIG_HOME", h.join("home/.config")),
            ("XDG_CACHE_HOME", h.join("home/.cache")),
        ]
    }
}

impl Default for TestHome {
    fn default() -> Self {
        Self::new()
    }
}

/// A temp folder of files for a test project.
#[derive(Debug)]
pub struct TempProject {
    dir: tempfile::TempDir,
}

impl TempProject {
    pub fn new() -> Self {
        Self {
            dir: tempfile::Builder::new()
                .prefix("aura-project-")
                .tempdir()
                .unwrap(),
        }
    }

    /// A project holding `files` (relative path, contents).
    pub fn with_files(files: &[(&str, &str)]) -> Self {
        let p = Self::new();
        for (rel, contents) in files {
            p.write(rel, contents);
        }
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: &str) {
        let path = self.file(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).unwrap()
    }
}

impl Default for TempProject {
    fn default() -> Self {
        Self::new()
    }
}
