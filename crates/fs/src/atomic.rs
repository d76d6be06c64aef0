//! Crash-safe file replacement: write a hidden temp file next to the target, fsync it,
//! rename it over the target, fsync the folder. After a crash at any instant the target
//! holds the old or the new bytes, never a mix.

use std::fs::{File, Permissions};
use std::io::Write;
use std::path::Path;

use aura_core::{Error, ErrorCode, Result};

use crate::FileVersion;

#[derive(Debug, Clone)]
pub(crate) enum AtomicMode {
    CreateNew,
    IfVersion(FileVersion),
    Overwrite,
}

/// Marks our temp files so the watcher and humans can tell them apart.
pub(crate) const TEMP_MARK: &str = ".aura-";
pub(crate) const TEMP_SUFFIX: &str = ".tmp";

/// Whether `name` looks like one of our temp files (`.name.aura-XXXXXX.tmp`).
pub(crate) fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TEMP_SUFFIX) && name.contains(TEMP_MARK)
}

/// Writes `bytes` to `path` (already resolved and confined) atomically.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], mode: AtomicMode) -> Result<FileVersion> {
    let parent = path
        .parent()
        .ok_or_else(|| Error::invalid("cannot write the file system root"))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::invalid("bad file name"))?;
    match std::fs::metadata(parent) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(Error::invalid("the parent is not a folder")),
        Err(e) => {
            return Err(Error::new(
                ErrorCode::NotFound,
                format!("the folder does not exist ({e})"),
            ));
        }
    }
    let existing = match std::fs::metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::from_io(&e, "saving")),
    };
    if let Some(m) = &existing {
        if m.is_dir() {
            return Err(Error::invalid("a folder is in the way"));
        }
        if m.permissions().readonly() {
            return Err(Error::new(
                ErrorCode::PermissionDenied,
                "the file is read-only",
            ));
        }
    }
    match &mode {
        AtomicMode::CreateNew if existing.is_some() => {
            return Err(Error::new(
                ErrorCode::AlreadyExists,
                "the file already exists",
            ));
        }
        AtomicMode::IfVersion(expected) => {
            // The check-then-rename window is the length of one write; closing it would need
            // OS-level locks that editors on other platforms do not honor anyway.
            let current = match std::fs::read(path) {
                Ok(b) => FileVersion::of(&b),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(Error::new(
                        ErrorCode::Conflict,
                        "the file was deleted on disk",
                    ));
                }
                Err(e) => return Err(Error::from_io(&e, "saving")),
            };
            if &current != expected {
                return Err(Error::new(ErrorCode::Conflict, "the file changed on disk"));
            }
        }
        _ => {}
    }

    let perms = existing
        .as_ref()
        .map(|m| m.permissions())
        .or_else(default_permissions);
    let mut builder = tempfile::Builder::new();
    let prefix = format!(".{}{TEMP_MARK}", truncate_name(name, 200));
    builder.prefix(&prefix).suffix(TEMP_SUFFIX).rand_bytes(6);
    if let Some(p) = &perms {
        builder.permissions(p.clone());
    }
    // NamedTempFile deletes itself on drop, so every early return below cleans up.
    let mut tmp = builder
        .tempfile_in(parent)
        .map_err(|e| Error::from_io(&e, "saving"))?;
    tmp.write_all(bytes)
        .map_err(|e| Error::from_io(&e, "saving"))?;
    if let (Some(_), Some(p)) = (&existing, perms) {
        // The creation mode went through the umask; the original's bits must survive exactly.
        tmp.as_file()
            .set_permissions(p)
            .map_err(|e| Error::from_io(&e, "saving"))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::from_io(&e, "saving"))?;
    let persisted = match mode {
        AtomicMode::CreateNew => tmp.persist_noclobber(path),
        _ => tmp.persist(path),
    };
    persisted.map_err(|e| Error::from_io(&e.error, "saving"))?;
    sync_dir(parent);
    Ok(FileVersion::of(bytes))
}

fn truncate_name(name: &str, max: usize) -> &str {
    let mut end = name.len().min(max);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

#[cfg(unix)]
fn default_permissions() -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    // What `File::create` asks for; the umask trims it as usual.
    Some(Permissions::from_mode(0o666))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<Permissions> {
    None
}

/// Makes the rename durable. Best effort: some file systems refuse fsync on folders.
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(err) = File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!(dir = %dir.display(), %err, "folder fsync failed");
    }
    #[cfg(not(unix))]
    let _ = dir;
}
