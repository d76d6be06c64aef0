//! Creating, renaming, copying and deleting, all confined and none of them overwriting.

use std::io;
use std::path::Path;

use aura_core::{Error, ErrorCode, RelPath, Result};

use crate::atomic::{AtomicMode, write_atomic};
use crate::root::already_exists;
use crate::{FileVersion, ProjectRoot, confine};

impl ProjectRoot {
    /// Creates a new file. `AlreadyExists` if present; the folder must exist (`NotFound`).
    pub fn create_file(&self, rel: &RelPath, contents: &[u8]) -> Result<FileVersion> {
        if rel.is_root() {
            return Err(Error::invalid("the project root is not a file"));
        }
        let path = self.resolve(rel)?;
        self.echo.record(&path, FileVersion::of(contents));
        write_atomic(&path, contents, AtomicMode::CreateNew)
            .map_err(|e| Error::new(e.code, format!("{rel}: {}", e.message)))
    }

    /// Creates a folder and any missing parents. `AlreadyExists` if it is there.
    pub fn create_dir(&self, rel: &RelPath) -> Result<()> {
        let path = self.resolve(rel)?;
        if path.symlink_metadata().is_ok() {
            return Err(already_exists(rel));
        }
        std::fs::create_dir_all(&path).map_err(|e| Error::from_io(&e, rel))
    }

    /// Renames or moves; never overwrites.
    pub fn rename(&self, from: &RelPath, to: &RelPath) -> Result<()> {
        let src = self.resolve_entry(from)?;
        let dst = self.resolve_entry(to)?;
        let src_meta = src
            .symlink_metadata()
            .map_err(|e| Error::from_io(&e, from))?;
        if src_meta.is_dir() && (dst.starts_with(&src) || to.starts_with(from)) {
            return Err(Error::invalid(format!("cannot move {from} into itself")));
        }
        check_target_free(&dst, to, Some(&src_meta))?;
        std::fs::rename(&src, &dst).map_err(|e| Error::from_io(&e, format!("{from} -> {to}")))
    }

    /// Copies a file or a folder (recursively); never overwrites. Symlinks are copied as
    /// symlinks when the copy still points inside the project, and skipped otherwise.
    pub fn copy(&self, from: &RelPath, to: &RelPath) -> Result<()> {
        if from.is_root() {
            return Err(Error::invalid(
                "the project root cannot be copied into itself",
            ));
        }
        let src = self.resolve(from)?;
        let dst = self.resolve_entry(to)?;
        let meta = std::fs::metadata(&src).map_err(|e| Error::from_io(&e, from))?;
        if meta.is_dir() && dst.starts_with(&src) {
            return Err(Error::invalid(format!("cannot copy {from} into itself")));
        }
        check_target_free(&dst, to, None)?;
        if meta.is_dir() {
            self.copy_dir(&src, &dst)
        } else {
            std::fs::copy(&src, &dst)
                .map(drop)
                .map_err(|e| Error::from_io(&e, to))
        }
    }

    fn copy_dir(&self, src: &Path, dst: &Path) -> Result<()> {
        let ctx = |e: io::Error, p: &Path| Error::from_io(&e, p.display());
        std::fs::create_dir(dst).map_err(|e| ctx(e, dst))?;
        for entry in std::fs::read_dir(src).map_err(|e| ctx(e, src))? {
            let entry = entry.map_err(|e| ctx(e, src))?;
            let (from, to) = (entry.path(), dst.join(entry.file_name()));
            let ft = entry.file_type().map_err(|e| ctx(e, &from))?;
            if ft.is_symlink() {
                self.copy_symlink(&from, &to)?;
            } else if ft.is_dir() {
                self.copy_dir(&from, &to)?;
            } else if ft.is_file() {
                std::fs::copy(&from, &to).map_err(|e| ctx(e, &from))?;
            } else {
                tracing::debug!(path = %from.display(), "not copying a special file");
            }
        }
        let perms = std::fs::metadata(src)
            .map_err(|e| ctx(e, src))?
            .permissions();
        std::fs::set_permissions(dst, perms).map_err(|e| ctx(e, dst))
    }

    fn copy_symlink(&self, from: &Path, to: &Path) -> Result<()> {
        let target = std::fs::read_link(from).map_err(|e| Error::from_io(&e, from.display()))?;
        let parent = to.parent().unwrap_or(&self.root);
        if !confine::link_stays_inside(&self.root, parent, &target) {
            tracing::warn!(link = %from.display(), "skipping a symlink that would point outside the project");
            return Ok(());
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&target, to)
                .map_err(|e| Error::from_io(&e, to.display()))?;
            // Lexical checks can be fooled by chains of links; the kernel's view decides.
            let rel = self.relativize(to)?;
            if matches!(self.resolve(&rel), Err(e) if e.code == ErrorCode::OutsideProject) {
                tracing::warn!(link = %from.display(), "removed a copied symlink that resolves outside");
                std::fs::remove_file(to).map_err(|e| Error::from_io(&e, to.display()))?;
            }
        }
        Ok(())
    }

    /// Deletes a file or folder: to the OS trash, or for good with `permanent`.
    /// Without a usable trash this fails; it never falls back to deleting for good.
    pub fn delete(&self, rel: &RelPath, permanent: bool) -> Result<()> {
        let path = self.resolve_entry(rel)?;
        let meta = path
            .symlink_metadata()
            .map_err(|e| Error::from_io(&e, rel))?;
        if !permanent {
            return trash::delete(&path).map_err(|e| {
                Error::new(
                    ErrorCode::Io,
                    format!("{rel}: could not move to the trash (no usable trash here?): {e}"),
                )
            });
        }
        let done = if meta.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        done.map_err(|e| Error::from_io(&e, rel))
    }
}

/// `AlreadyExists` unless `dst` is free. A case-only rename on a case-insensitive file
/// system sees its own source as "existing": that one is allowed through.
fn check_target_free(dst: &Path, to: &RelPath, src_meta: Option<&std::fs::Metadata>) -> Result<()> {
    let Ok(dst_meta) = dst.symlink_metadata() else {
        return match dst.parent().map(std::fs::metadata) {
            Some(Ok(m)) if m.is_dir() => Ok(()),
            _ => Err(Error::not_found(format!(
                "the folder of {to} does not exist"
            ))),
        };
    };
    #[cfg(unix)]
    if let Some(src) = src_meta {
        use std::os::unix::fs::MetadataExt;
        if src.dev() == dst_meta.dev() && src.ino() == dst_meta.ino() {
            return Ok(());
        }
    }
    let _ = (src_meta, dst_meta);
    Err(already_exists(to))
}
