//! Building an AppImage: the runtime, marked, with the AppDir's SquashFS image after it.

use std::fs::{self, File};
use std::io::{Seek as _, SeekFrom, Write as _};
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use backhand::compression::Compressor;
use backhand::{FilesystemCompressor, FilesystemWriter, NodeHeader};

use crate::{Error, Result, elf, io};

/// Writes `out` from `runtime` (an ELF program) and the folder `appdir`, which must hold
/// an executable `AppRun`. `out` appears whole or not at all.
pub fn pack(runtime: &Path, appdir: &Path, out: &Path) -> Result<()> {
    let app_run = appdir.join("AppRun");
    let runs = fs::metadata(&app_run).is_ok_and(|m| m.is_file() && m.mode() & 0o111 != 0);
    if !runs {
        return Err(Error::NotAppImage(
            appdir.to_owned(),
            "an AppDir needs an executable AppRun".into(),
        ));
    }
    let mut head = fs::read(runtime).map_err(io(format!("reading {}", runtime.display())))?;
    let end = elf::image_offset(&head[..elf::HEAD_LEN.min(head.len())])
        .map_err(|e| Error::NotAppImage(runtime.to_owned(), e))?;
    // The runtime finds the image where its ELF file ends: nothing may sit in between.
    if end != head.len() as u64 {
        return Err(Error::NotAppImage(
            runtime.to_owned(),
            format!(
                "the ELF file ends at {end} but the file is {} bytes",
                head.len()
            ),
        ));
    }
    head[elf::MAGIC_AT..elf::MAGIC_AT + 3].copy_from_slice(&elf::MAGIC);

    let bad = |e: backhand::BackhandError| Error::Squashfs(appdir.to_owned(), e.to_string());
    let mut image = FilesystemWriter::default();
    let gzip = FilesystemCompressor::new(Compressor::Gzip, None).map_err(bad)?;
    image.set_compressor(gzip);
    image.set_time(build_time());
    image.set_root_mode(0o755);
    image.set_only_root_id();
    add_dir(&mut image, appdir, appdir, Path::new("/"))?;

    let partial = out.with_extension("partial");
    let mut write = |file: &mut File| -> Result<()> {
        file.write_all(&head)
            .map_err(io(format!("writing {}", partial.display())))?;
        image
            .write_with_offset(&mut *file, head.len() as u64)
            .map_err(bad)?;
        file.seek(SeekFrom::End(0))
            .and_then(|_| file.sync_all())
            .map_err(io(format!("writing {}", partial.display())))
    };
    let mut file = File::create(&partial).map_err(io(format!("creating {}", partial.display())))?;
    let done = write(&mut file)
        .and_then(|()| {
            fs::set_permissions(&partial, fs::Permissions::from_mode(0o755))
                .map_err(io(format!("marking {} executable", partial.display())))
        })
        .and_then(|()| {
            fs::rename(&partial, out).map_err(io(format!("moving the image to {}", out.display())))
        });
    if done.is_err() {
        let _ = fs::remove_file(&partial);
    }
    done
}

/// SOURCE_DATE_EPOCH when set (reproducible builds), else now.
fn build_time() -> u32 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
        })
}

/// Adds `dir` (inside the AppDir `root`) to the image as `at`, depth first.
fn add_dir(
    image: &mut FilesystemWriter<'_, '_, '_>,
    root: &Path,
    dir: &Path,
    at: &Path,
) -> Result<()> {
    let bad = |e: backhand::BackhandError| Error::Squashfs(root.to_owned(), e.to_string());
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .and_then(|r| r.map(|e| e.map(|e| e.path())).collect())
        .map_err(io(format!("listing {}", dir.display())))?;
    // Sorted, so two packs of the same folder write the same image.
    entries.sort();
    for path in entries {
        let reading = || io(format!("reading {}", path.display()));
        let meta = fs::symlink_metadata(&path).map_err(reading())?;
        let name = at.join(path.file_name().unwrap_or_default());
        let mode = u16::try_from(meta.mode() & 0o7777).unwrap_or(0o644);
        let header = NodeHeader::new(mode, 0, 0, u32::try_from(meta.mtime()).unwrap_or(0));
        let kind = meta.file_type();
        if kind.is_symlink() {
            let link = fs::read_link(&path).map_err(reading())?;
            image.push_symlink(link, &name, header).map_err(bad)?;
        } else if kind.is_dir() {
            image.push_dir(&name, header).map_err(bad)?;
            add_dir(image, root, &path, &name)?;
        } else if kind.is_file() {
            image
                .push_file_from_path(&path, &name, header)
                .map_err(bad)?;
        }
    }
    Ok(())
}
