//! Exporting a project as a zip: the files `walk_files` sees (ignore rules honored, `.git`
//! never), written to a temp file and renamed over `out` so a reader never sees half a zip.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use aura_core::{Error, ErrorCode, Result};
use zip::write::SimpleFileOptions;

use super::ExportReport;
use crate::{ProjectRoot, WalkOptions};

/// Zip's classic format stops at 4 GiB per entry.
const ZIP32_LIMIT: u64 = 0xFFFF_FFFF;

/// Writes the project to `out`. `out` may lie inside the project: it is then left out of
/// the archive rather than refused, since "export next to my sources" is a normal wish.
pub fn export_zip(root: &ProjectRoot, out: &Path) -> Result<ExportReport> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::invalid("bad output file name"))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let parent = std::fs::canonicalize(parent).map_err(|e| Error::from_io(&e, parent.display()))?;
    let out_rel = root.relativize(&parent.join(name)).ok();
    let files = root.walk_files(&WalkOptions {
        show_hidden: true,
        include_ignored: false,
        max_files: None,
    })?;

    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}{}", crate::atomic::TEMP_MARK))
        .suffix(crate::atomic::TEMP_SUFFIX)
        .tempfile_in(&parent)
        .map_err(|e| Error::from_io(&e, parent.display()))?;
    let zerr =
        |e: zip::result::ZipError| Error::new(ErrorCode::Io, format!("writing the zip: {e}"));
    let mut zw = zip::ZipWriter::new(BufWriter::new(tmp.as_file()));
    let mut report = ExportReport::default();
    for rel in files {
        if out_rel.as_ref() == Some(&rel) {
            continue;
        }
        let path = root.resolve(&rel)?;
        let mut src = File::open(&path).map_err(|e| Error::from_io(&e, &rel))?;
        let meta = src.metadata().map_err(|e| Error::from_io(&e, &rel))?;
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(unix_mode(&meta))
            .large_file(meta.len() >= ZIP32_LIMIT);
        zw.start_file(rel.as_str(), opts).map_err(zerr)?;
        report.bytes += std::io::copy(&mut src, &mut zw).map_err(|e| Error::from_io(&e, &rel))?;
        report.files += 1;
    }
    let mut buf = zw.finish().map_err(zerr)?;
    buf.flush().map_err(|e| Error::from_io(&e, out.display()))?;
    drop(buf);
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::from_io(&e, out.display()))?;
    tmp.persist(out)
        .map_err(|e| Error::from_io(&e.error, out.display()))?;
    crate::atomic::sync_dir(&parent);
    tracing::info!(out = %out.display(), files = report.files, "project exported");
    Ok(report)
}

#[cfg(unix)]
fn unix_mode(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o777
}

#[cfg(not(unix))]
fn unix_mode(meta: &std::fs::Metadata) -> u32 {
    if meta.permissions().readonly() {
        0o444
    } else {
        0o644
    }
}
