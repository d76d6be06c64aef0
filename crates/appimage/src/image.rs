//! Reading an AppImage: its image offset, a key for its contents, and extraction.

use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use backhand::{FilesystemReader, InnerNode};

use crate::{Error, Result, elf, io};

/// A SquashFS superblock is 96 bytes and starts with "hsqs".
const SUPERBLOCK_LEN: usize = 96;

/// An AppImage file on disk.
#[derive(Debug)]
pub struct AppImage {
    path: PathBuf,
    offset: u64,
    superblock: [u8; SUPERBLOCK_LEN],
}

impl AppImage {
    pub fn open(path: &Path) -> Result<Self> {
        let not = |why: &str| Error::NotAppImage(path.to_owned(), why.to_owned());
        let mut f = File::open(path).map_err(io(format!("opening {}", path.display())))?;
        let mut head = Vec::with_capacity(elf::HEAD_LEN);
        (&mut f)
            .take(elf::HEAD_LEN as u64)
            .read_to_end(&mut head)
            .map_err(io(format!("reading {}", path.display())))?;
        if head.get(elf::MAGIC_AT..elf::MAGIC_AT + 3) != Some(&elf::MAGIC[..]) {
            return Err(not("no AppImage type 2 mark"));
        }
        let offset = elf::image_offset(&head).map_err(|e| not(&e))?;
        let mut superblock = [0; SUPERBLOCK_LEN];
        f.seek(SeekFrom::Start(offset))
            .and_then(|_| f.read_exact(&mut superblock))
            .map_err(|_| not("nothing appended to the runtime"))?;
        if &superblock[..4] != b"hsqs" {
            return Err(not("no SquashFS image after the runtime"));
        }
        Ok(Self {
            path: path.to_owned(),
            offset,
            superblock,
        })
    }

    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Names one build of one file: a rebuilt or replaced AppImage gets a new key, so a
    /// stale extraction is never run. Cheap on purpose (no hashing of the whole image: it
    /// runs at every start): the image's superblock (build time, size, counts) plus the
    /// file's path, length and modification time.
    pub fn key(&self) -> Result<String> {
        let meta =
            fs::metadata(&self.path).map_err(io(format!("reading {}", self.path.display())))?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let mut h = blake3::Hasher::new();
        h.update(self.path.as_os_str().as_encoded_bytes());
        h.update(&meta.len().to_le_bytes());
        h.update(&mtime.to_le_bytes());
        h.update(&self.superblock);
        Ok(h.finalize().to_hex()[..16].to_owned())
    }

    /// Writes the AppDir into `dest`, which must not exist yet.
    pub fn extract(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::Exists(dest.to_owned()));
        }
        let bad = |e: backhand::BackhandError| Error::Squashfs(self.path.clone(), e.to_string());
        let file =
            File::open(&self.path).map_err(io(format!("opening {}", self.path.display())))?;
        let fs_reader =
            FilesystemReader::from_reader_with_offset(BufReader::new(file), self.offset)
                .map_err(bad)?;
        fs::create_dir_all(dest).map_err(io(format!("creating {}", dest.display())))?;
        // Folder modes are set last: a read-only folder would refuse its own files.
        let mut dirs = Vec::new();
        for node in fs_reader.files() {
            let rel = inside(&node.fullpath)?;
            let target = dest.join(&rel);
            let mode = u32::from(node.header.permissions) & 0o7777;
            let what = || format!("writing {}", target.display());
            match &node.inner {
                InnerNode::Dir(_) => {
                    fs::create_dir_all(&target).map_err(io(what()))?;
                    dirs.push((target, mode));
                }
                InnerNode::File(f) => {
                    let mut out = OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .mode(mode)
                        .open(&target)
                        .map_err(io(what()))?;
                    std::io::copy(&mut fs_reader.file(f).reader(), &mut out).map_err(io(what()))?;
                    // `mode` at creation is masked by the umask; the image's mode is meant.
                    fs::set_permissions(&target, fs::Permissions::from_mode(mode))
                        .map_err(io(what()))?;
                }
                InnerNode::Symlink(s) => {
                    std::os::unix::fs::symlink(&s.link, &target).map_err(io(what()))?;
                }
                // Devices, pipes and sockets have no place in an app's folder.
                _ => {}
            }
        }
        for (dir, mode) in dirs.into_iter().rev() {
            fs::set_permissions(&dir, fs::Permissions::from_mode(mode))
                .map_err(io(format!("setting the mode of {}", dir.display())))?;
        }
        Ok(())
    }
}

/// The image's absolute path made relative, refusing anything that climbs out.
fn inside(full: &Path) -> Result<PathBuf> {
    let mut rel = PathBuf::new();
    for c in full.components() {
        match c {
            Component::RootDir | Component::CurDir => {}
            Component::Normal(part) => rel.push(part),
            Component::ParentDir | Component::Prefix(_) => {
                return Err(Error::UnsafePath(full.to_owned()));
            }
        }
    }
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_out_are_refused() {
        assert_eq!(
            inside(Path::new("/usr/bin/x")).ok(),
            Some(PathBuf::from("usr/bin/x"))
        );
        assert!(inside(Path::new("/usr/../../etc/passwd")).is_err());
    }
}
