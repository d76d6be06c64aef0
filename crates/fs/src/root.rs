//! [`ProjectRoot`]: the one door through which Aura touches a project's files.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use aura_core::{Error, ErrorCode, RelPath, Result};

use crate::echo::EchoFilter;
use crate::{EntryKind, Stat, confine};

/// A project folder, canonicalized once. Every path handed in is a [`RelPath`] and is
/// resolved with symlinks followed; anything that lands outside is `OutsideProject`.
#[derive(Debug, Clone)]
pub struct ProjectRoot {
    pub(crate) root: PathBuf,
    pub(crate) echo: Arc<EchoFilter>,
}

impl ProjectRoot {
    /// Opens an existing folder. `NotFound` if missing, `InvalidInput` if not a folder.
    pub fn open(path: &Path) -> Result<Self> {
        let root = std::fs::canonicalize(path).map_err(|e| Error::from_io(&e, path.display()))?;
        let meta = std::fs::metadata(&root).map_err(|e| Error::from_io(&e, path.display()))?;
        if !meta.is_dir() {
            return Err(Error::invalid(format!(
                "{} is not a folder",
                path.display()
            )));
        }
        Ok(Self {
            root,
            echo: Arc::new(EchoFilter::default()),
        })
    }

    /// The canonical root folder.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The writes this root made recently (shared with its watchers).
    pub fn echo_filter(&self) -> &Arc<EchoFilter> {
        &self.echo
    }

    /// The real path of `rel`, every symlink followed; works for a leaf that does not exist
    /// yet. `OutsideProject` if a symlink on the way leads out of the root.
    pub fn resolve(&self, rel: &RelPath) -> Result<PathBuf> {
        confine::resolve(&self.root, rel)
    }

    /// The path of `rel` itself (a symlink stays a symlink), after checking that neither
    /// its folder nor, if it is a link, its target leaves the project.
    pub(crate) fn resolve_entry(&self, rel: &RelPath) -> Result<PathBuf> {
        if rel.is_root() {
            return Err(Error::invalid(
                "the project root cannot be renamed, moved, copied or deleted",
            ));
        }
        self.resolve(rel)?;
        confine::resolve_parent_join(&self.root, rel)
    }

    pub fn stat(&self, rel: &RelPath) -> Result<Stat> {
        let path = self.resolve(rel)?;
        let meta = std::fs::metadata(&path).map_err(|e| Error::from_io(&e, rel))?;
        let modified_ms = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        Ok(Stat {
            kind: kind_of(&meta),
            size: meta.len(),
            modified_ms,
            readonly: meta.permissions().readonly(),
        })
    }

    /// Converts an absolute path under the root back to a `RelPath`.
    pub fn relativize(&self, abs: &Path) -> Result<RelPath> {
        RelPath::from_path(&self.root, abs)
    }
}

pub(crate) fn kind_of(meta: &std::fs::Metadata) -> EntryKind {
    if meta.is_dir() {
        EntryKind::Dir
    } else if meta.is_file() {
        EntryKind::File
    } else {
        EntryKind::Other
    }
}

pub(crate) fn already_exists(rel: &RelPath) -> Error {
    Error::new(ErrorCode::AlreadyExists, format!("{rel} already exists"))
}
