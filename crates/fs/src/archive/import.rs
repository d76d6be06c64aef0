//! Format detection and the zip and tar readers feeding an [`Extractor`].

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use aura_core::{Error, ErrorCode, Result};

use super::extract::{Extractor, RATIO_FLOOR};
use super::{ArchiveLimits, ImportReport};

enum Format {
    Zip,
    Tar,
    TarGz,
}

/// Unpacks `archive` into the new folder `dest` (which must not exist). Everything is
/// written into a hidden staging folder beside `dest` and renamed into place only when the
/// whole archive passed; on any refusal the staging folder is removed.
pub fn import_archive(archive: &Path, dest: &Path, limits: &ArchiveLimits) -> Result<ImportReport> {
    if dest.symlink_metadata().is_ok() {
        return Err(Error::new(
            ErrorCode::AlreadyExists,
            format!("{} already exists", dest.display()),
        ));
    }
    let name = dest
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::invalid("bad destination name"))?;
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let parent = std::fs::canonicalize(parent).map_err(|e| Error::from_io(&e, parent.display()))?;
    let mut file = File::open(archive).map_err(|e| Error::from_io(&e, archive.display()))?;
    let compressed_len = file
        .metadata()
        .map_err(|e| Error::from_io(&e, archive.display()))?
        .len();
    let format = sniff(&mut file).map_err(|e| Error::from_io(&e, archive.display()))?;

    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.aura-import-"))
        .tempdir_in(&parent)
        .map_err(|e| Error::from_io(&e, parent.display()))?;
    let mut ex = Extractor::new(staging.path().to_path_buf(), *limits, compressed_len);
    match format {
        Format::Zip => unzip(file, &mut ex)?,
        Format::Tar => untar(BufReader::new(file), &mut ex)?,
        Format::TarGz => untar(flate2::read::GzDecoder::new(BufReader::new(file)), &mut ex)?,
    }
    ex.verify_links()?;
    let report = ex.report;
    // Checked again: the import may have taken a while.
    if dest.symlink_metadata().is_ok() {
        return Err(Error::new(
            ErrorCode::AlreadyExists,
            format!("{} already exists", dest.display()),
        ));
    }
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, dest) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(Error::from_io(&e, dest.display()));
    }
    crate::atomic::sync_dir(&parent);
    tracing::info!(dest = %dest.display(), files = report.files, bytes = report.bytes, "archive imported");
    Ok(report)
}

fn sniff(file: &mut File) -> std::io::Result<Format> {
    let mut head = [0u8; 512];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    file.seek(SeekFrom::Start(0))?;
    let head = &head[..n];
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Ok(Format::Zip)
    } else if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Format::TarGz)
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Ok(Format::Tar)
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a zip, tar or tar.gz archive",
        ))
    }
}

fn zip_err(e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => Error::from_io(&io, "zip"),
        other => Error::invalid(format!("bad zip archive: {other}")),
    }
}

fn unzip(file: File, ex: &mut Extractor) -> Result<()> {
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(zip_err)?;
    for i in 0..zip.len() {
        ex.count_entry()?;
        let mut entry = zip.by_index(i).map_err(zip_err)?;
        let name = entry.name().map_err(zip_err)?.into_owned();
        let Some(rel) = ex.entry_path(name.as_bytes())? else {
            continue;
        };
        if entry.is_symlink() {
            let mut target = Vec::new();
            // A link target is a path: anything longer than PATH_MAX is not a real link.
            entry
                .by_ref()
                .take(4096)
                .read_to_end(&mut target)
                .map_err(|e| Error::from_io(&e, &rel))?;
            ex.symlink(&rel, &target)?;
        } else if entry.is_dir() {
            ex.dir(&rel)?;
        } else {
            let cap = entry
                .compressed_size()
                .saturating_mul(ex.max_ratio())
                .max(RATIO_FLOOR);
            let mode = entry.unix_mode();
            ex.file(&rel, &mut entry, cap, mode)?;
        }
    }
    Ok(())
}

fn untar(reader: impl Read, ex: &mut Extractor) -> Result<()> {
    let mut ar = tar::Archive::new(reader);
    let entries = ar
        .entries()
        .map_err(|e| Error::invalid(format!("bad tar archive: {e}")))?;
    for entry in entries {
        ex.count_entry()?;
        let mut entry = entry.map_err(|e| Error::invalid(format!("bad tar archive: {e}")))?;
        let Some(rel) = ex.entry_path(&entry.path_bytes())? else {
            continue;
        };
        let kind = entry.header().entry_type();
        let link = entry.link_name_bytes().map(|c| c.into_owned());
        match kind {
            tar::EntryType::Directory => ex.dir(&rel)?,
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let mode = entry.header().mode().ok();
                ex.file(&rel, &mut entry, u64::MAX, mode)?;
            }
            tar::EntryType::Symlink => ex.symlink(&rel, link.as_deref().unwrap_or_default())?,
            tar::EntryType::Link => ex.hardlink(&rel, link.as_deref().unwrap_or_default())?,
            other => tracing::debug!(entry = %rel, kind = ?other, "skipping a special tar entry"),
        }
    }
    Ok(())
}
