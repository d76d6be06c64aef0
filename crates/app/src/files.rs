//! File operations inside an open project. Every path arrives as a string from a caller
//! and becomes a [`RelPath`] here, so confinement is checked before anything happens.

use aura_core::{RelPath, Result};
use aura_fs::{
    DirEntry, Encoding, FileVersion, FsEvent, ListOptions, ReadOptions, Stat, TextFile, Watcher,
    WriteMode,
};

use crate::App;

impl App {
    /// One folder of the explorer, with the user's hidden/ignored preferences unless
    /// overridden.
    pub fn fs_list(
        &self,
        project: &str,
        path: &str,
        overrides: Option<ListOptions>,
    ) -> Result<Vec<DirEntry>> {
        let root = self.root(project)?;
        let opts = overrides.unwrap_or_else(|| {
            let s = self.settings();
            ListOptions {
                show_hidden: s.files.show_hidden,
                show_ignored: s.files.show_ignored,
            }
        });
        root.list_dir(&RelPath::new(path)?, &opts)
    }

    /// Reads a file for the editor. Files over `files.max_edit_size_mb` are refused with
    /// `TooLarge` unless `read_only` is asked for.
    pub fn fs_read(&self, project: &str, path: &str, read_only: bool) -> Result<TextFile> {
        let root = self.root(project)?;
        let rel = RelPath::new(path)?;
        let opts = ReadOptions {
            max_edit_bytes: self.settings().max_edit_bytes(),
            read_only,
        };
        let file = root.read_text(&rel, &opts)?;
        if let Err(e) = self
            .store
            .touch_recent_file(&aura_core::ProjectId::parse(project)?, rel.as_str())
        {
            tracing::warn!(error = %e, "recent file not recorded");
        }
        Ok(file)
    }

    /// Saves text atomically. `expected` is the version the caller read: `None` creates a
    /// new file (refused if one exists), a stale version gives `Conflict`.
    pub fn fs_write(
        &self,
        project: &str,
        path: &str,
        text: &str,
        encoding: Encoding,
        expected: Option<FileVersion>,
    ) -> Result<FileVersion> {
        let root = self.root(project)?;
        let mode = expected.map_or(WriteMode::CreateNew, WriteMode::IfVersion);
        let version = root.write_text(&RelPath::new(path)?, text, encoding, mode)?;
        self.index_notify(project, &[path]);
        Ok(version)
    }

    /// Replaces a file whatever is on disk: only for an explicit user action (`--force`).
    pub fn fs_overwrite(&self, project: &str, path: &str, text: &str) -> Result<FileVersion> {
        let root = self.root(project)?;
        let version = root.write_text(
            &RelPath::new(path)?,
            text,
            Encoding::Utf8,
            WriteMode::Overwrite,
        )?;
        self.index_notify(project, &[path]);
        Ok(version)
    }

    pub fn fs_create_file(&self, project: &str, path: &str) -> Result<FileVersion> {
        let version = self.root(project)?.create_file(&RelPath::new(path)?, b"")?;
        self.index_notify(project, &[path]);
        Ok(version)
    }

    pub fn fs_create_dir(&self, project: &str, path: &str) -> Result<()> {
        self.root(project)?.create_dir(&RelPath::new(path)?)
    }

    pub fn fs_rename(&self, project: &str, from: &str, to: &str) -> Result<()> {
        self.root(project)?
            .rename(&RelPath::new(from)?, &RelPath::new(to)?)
    }

    pub fn fs_copy(&self, project: &str, from: &str, to: &str) -> Result<()> {
        self.root(project)?
            .copy(&RelPath::new(from)?, &RelPath::new(to)?)
    }

    /// Moves to the OS trash, or deletes for good when `permanent` (an explicit choice).
    pub fn fs_delete(&self, project: &str, path: &str, permanent: bool) -> Result<()> {
        self.root(project)?.delete(&RelPath::new(path)?, permanent)
    }

    /// The absolute, confined path of a project entry (to hand to the OS, e.g. reveal it
    /// in the file manager). Symlinks out of the project are refused like everywhere else.
    pub fn fs_absolute(&self, project: &str, path: &str) -> Result<std::path::PathBuf> {
        self.root(project)?.resolve(&RelPath::new(path)?)
    }

    pub fn fs_stat(&self, project: &str, path: &str) -> Result<Stat> {
        self.root(project)?.stat(&RelPath::new(path)?)
    }

    /// Watches a project for the caller alone (the CLI's `aura watch`).
    pub fn fs_watch(
        &self,
        project: &str,
        sink: impl Fn(Vec<FsEvent>) + Send + 'static,
    ) -> Result<Watcher> {
        self.root(project)?.watch(sink)
    }
}
