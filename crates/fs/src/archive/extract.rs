//! The format-independent half of an import: validated names, limits counted while
//! streaming, and writes confined to the staging folder.

use std::fs::OpenOptions;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use aura_core::relpath::validate_name;
use aura_core::{Error, ErrorCode, RelPath, Result};

use super::{ArchiveLimits, ImportReport};
use crate::confine;

/// Below this, an entry may expand however it likes: tiny repetitive files compress far
/// beyond any sane ratio and are harmless; bombs are about gigabytes, not kilobytes.
pub(crate) const RATIO_FLOOR: u64 = 1024 * 1024;

pub(crate) struct Extractor {
    pub(crate) staging: PathBuf,
    limits: ArchiveLimits,
    /// Cap on the total from the whole-archive ratio (compressed size x max_ratio).
    ratio_total_cap: u64,
    entries: u64,
    links: Vec<RelPath>,
    pub(crate) report: ImportReport,
}

fn refuse(code: ErrorCode, entry: &str, why: &str) -> Error {
    Error::new(code, format!("archive entry {entry:?}: {why}"))
}

fn too_large(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::TooLarge, why.into())
}

impl Extractor {
    pub(crate) fn new(staging: PathBuf, limits: ArchiveLimits, compressed_len: u64) -> Self {
        let ratio_total_cap = compressed_len
            .saturating_mul(limits.max_ratio)
            .max(RATIO_FLOOR);
        Self {
            staging,
            limits,
            ratio_total_cap,
            entries: 0,
            links: Vec::new(),
            report: ImportReport::default(),
        }
    }

    pub(crate) fn max_ratio(&self) -> u64 {
        self.limits.max_ratio
    }

    /// Counts one entry of any kind against `max_entries`.
    pub(crate) fn count_entry(&mut self) -> Result<()> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(too_large(format!(
                "the archive has more than {} entries",
                self.limits.max_entries
            )));
        }
        Ok(())
    }

    /// Validates a raw entry name; `None` for entries naming the archive root (`./`).
    pub(crate) fn entry_path(&self, raw: &[u8]) -> Result<Option<RelPath>> {
        let lossy = String::from_utf8_lossy(raw);
        let s = std::str::from_utf8(raw)
            .map_err(|_| refuse(ErrorCode::InvalidInput, &lossy, "name is not UTF-8"))?;
        check_name(s)?;
        let rel = RelPath::new(s).map_err(|e| refuse(e.code, s, &e.message))?;
        if rel.is_root() {
            return Ok(None);
        }
        for c in rel.components() {
            validate_name(c).map_err(|e| refuse(e.code, s, &e.message))?;
        }
        Ok(Some(rel))
    }

    /// Creates the folders leading to `rel` and returns where `rel` goes. Refuses to pass
    /// through anything but real folders, so an earlier symlink entry cannot redirect it.
    fn place(&mut self, rel: &RelPath) -> Result<PathBuf> {
        let mut cur = self.staging.clone();
        let comps: Vec<&str> = rel.components().collect();
        let (last, parents) = comps
            .split_last()
            .ok_or_else(|| Error::invalid("empty entry name"))?;
        for c in parents {
            cur.push(c);
            match cur.symlink_metadata() {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(refuse(
                        ErrorCode::InvalidInput,
                        rel.as_str(),
                        "goes through a non-folder",
                    ));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    std::fs::create_dir(&cur).map_err(|e| Error::from_io(&e, rel))?;
                    self.report.dirs += 1;
                }
                Err(e) => return Err(Error::from_io(&e, rel)),
            }
        }
        let target = cur.join(last);
        if target.symlink_metadata().is_ok() {
            return Err(refuse(
                ErrorCode::InvalidInput,
                rel.as_str(),
                "duplicate entry",
            ));
        }
        Ok(target)
    }

    pub(crate) fn dir(&mut self, rel: &RelPath) -> Result<()> {
        let mut cur = self.staging.clone();
        for c in rel.components() {
            cur.push(c);
            match cur.symlink_metadata() {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(refuse(
                        ErrorCode::InvalidInput,
                        rel.as_str(),
                        "goes through a non-folder",
                    ));
                }
                Err(_) => {
                    std::fs::create_dir(&cur).map_err(|e| Error::from_io(&e, rel))?;
                    self.report.dirs += 1;
                }
            }
        }
        Ok(())
    }

    /// Streams one file. `entry_cap` is the per-entry ratio cap (`u64::MAX` for none).
    pub(crate) fn file(
        &mut self,
        rel: &RelPath,
        data: &mut dyn Read,
        entry_cap: u64,
        mode: Option<u32>,
    ) -> Result<()> {
        let target = self.place(rel)?;
        let left_total = self
            .limits
            .max_total_bytes
            .saturating_sub(self.report.bytes);
        let left_ratio = self.ratio_total_cap.saturating_sub(self.report.bytes);
        let cap = left_total.min(left_ratio).min(entry_cap);
        let mut out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(|e| Error::from_io(&e, rel))?;
        // Never trust the header's size: count what actually comes out, one byte past the cap.
        let written = io::copy(&mut data.take(cap.saturating_add(1)), &mut out).map_err(|e| {
            Error::new(ErrorCode::InvalidInput, format!("archive entry {rel}: {e}"))
        })?;
        if written > cap {
            let ratio = self.limits.max_ratio;
            return Err(if cap == left_total {
                too_large(format!(
                    "the archive expands to more than {} bytes",
                    self.limits.max_total_bytes
                ))
            } else if cap == entry_cap {
                too_large(format!(
                    "archive entry {rel} expands more than {ratio}x (a zip bomb?)"
                ))
            } else {
                too_large(format!(
                    "the archive expands more than {ratio}x its size (a bomb?)"
                ))
            });
        }
        #[cfg(unix)]
        if mode.is_some_and(|m| m & 0o111 != 0) {
            use std::os::unix::fs::PermissionsExt;
            let perms = std::fs::Permissions::from_mode(0o755);
            std::fs::set_permissions(&target, perms).map_err(|e| Error::from_io(&e, rel))?;
        }
        #[cfg(not(unix))]
        let _ = mode;
        self.report.files += 1;
        self.report.bytes += written;
        Ok(())
    }

    pub(crate) fn symlink(&mut self, rel: &RelPath, target: &[u8]) -> Result<()> {
        let t = std::str::from_utf8(target).map_err(|_| {
            refuse(
                ErrorCode::InvalidInput,
                rel.as_str(),
                "link target is not UTF-8",
            )
        })?;
        if t.is_empty() || t.contains(['\\', '\0']) || t.starts_with('/') || has_drive(t) {
            return Err(refuse(
                ErrorCode::OutsideProject,
                rel.as_str(),
                "symlink target is absolute or malformed",
            ));
        }
        let at = self.place(rel)?;
        let parent = at.parent().unwrap_or(&self.staging).to_path_buf();
        if !confine::link_stays_inside(&self.staging, &parent, Path::new(t)) {
            return Err(refuse(
                ErrorCode::OutsideProject,
                rel.as_str(),
                "symlink points outside the archive",
            ));
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(t, &at).map_err(|e| Error::from_io(&e, rel))?;
            self.links.push(rel.clone());
        }
        #[cfg(not(unix))]
        tracing::warn!(entry = %rel, "symlinks in archives are skipped on this platform");
        Ok(())
    }

    pub(crate) fn hardlink(&mut self, rel: &RelPath, target: &[u8]) -> Result<()> {
        let Some(src_rel) = self.entry_path(target)? else {
            return Err(refuse(
                ErrorCode::InvalidInput,
                rel.as_str(),
                "hard link to the archive root",
            ));
        };
        let src = src_rel.to_path(&self.staging);
        // Only to a regular file extracted earlier, reached through real folders.
        let real = confine::resolve(&self.staging, &src_rel)?;
        let ok = real == src && src.symlink_metadata().map(|m| m.is_file()).unwrap_or(false);
        if !ok {
            return Err(refuse(
                ErrorCode::OutsideProject,
                rel.as_str(),
                "hard link to something outside or missing",
            ));
        }
        let at = self.place(rel)?;
        std::fs::hard_link(&src, &at).map_err(|e| Error::from_io(&e, rel))?;
        self.report.files += 1;
        Ok(())
    }

    /// Chains of symlinks can escape where each link alone looks fine; the kernel-style
    /// resolution of every link decides before anything is renamed into place.
    pub(crate) fn verify_links(&self) -> Result<()> {
        for rel in &self.links {
            confine::resolve(&self.staging, rel).map_err(|_| {
                refuse(
                    ErrorCode::OutsideProject,
                    rel.as_str(),
                    "symlink resolves outside the archive",
                )
            })?;
        }
        Ok(())
    }
}

fn has_drive(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic()
}

/// The checks `RelPath` would make, spelled out so the error names the entry.
fn check_name(s: &str) -> Result<()> {
    if s.contains('\\') {
        return Err(refuse(ErrorCode::InvalidInput, s, "backslash in name"));
    }
    if s.starts_with('/') || has_drive(s) {
        return Err(refuse(ErrorCode::OutsideProject, s, "absolute path"));
    }
    if s.split('/').any(|c| c == "..") {
        return Err(refuse(ErrorCode::OutsideProject, s, "'..' in path"));
    }
    Ok(())
}
