//! Symlink-aware confinement: resolving a [`RelPath`] against a canonical root the way the
//! kernel would, one component at a time, and refusing if the result leaves the root.
//!
//! `RelPath` is lexical only; this is the half that needs the file system. The walk mirrors
//! `realpath(3)` but tolerates missing components (a file about to be created).

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};

use aura_core::{Error, ErrorCode, RelPath, Result};

/// Linux gives up at 40 as well; a loop of links must end in an error, not a hang.
const MAX_SYMLINKS: usize = 40;

pub(crate) fn outside(rel: &impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::OutsideProject,
        format!("{rel}: leads outside the project (symlink)"),
    )
}

/// Resolves `rel` under `root` (which must be canonical), following every symlink,
/// including the last component. Missing components are appended as they are.
pub(crate) fn resolve(root: &Path, rel: &RelPath) -> Result<PathBuf> {
    let queue: VecDeque<OsString> = rel.components().map(OsString::from).collect();
    let resolved = resolve_components(root.to_path_buf(), queue, rel)?;
    if resolved.starts_with(root) {
        Ok(resolved)
    } else {
        Err(outside(rel))
    }
}

/// Resolves the parent of `rel` fully and appends the last name unresolved: the path to
/// act on when the operation concerns a link itself (rename, delete), not its target.
pub(crate) fn resolve_parent_join(root: &Path, rel: &RelPath) -> Result<PathBuf> {
    let parent = rel
        .parent()
        .ok_or_else(|| Error::invalid("the project root itself cannot be used here"))?;
    Ok(resolve(root, &parent)?.join(rel.file_name()))
}

fn resolve_components(
    mut cur: PathBuf,
    mut queue: VecDeque<OsString>,
    rel: &RelPath,
) -> Result<PathBuf> {
    let mut links = 0usize;
    while let Some(part) = queue.pop_front() {
        if part == ".." {
            cur.pop();
            continue;
        }
        if part == "." || part.is_empty() {
            continue;
        }
        let next = cur.join(&part);
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(Error::invalid(format!(
                        "{rel}: too many levels of symbolic links"
                    )));
                }
                let target = std::fs::read_link(&next).map_err(|e| Error::from_io(&e, rel))?;
                let mut parts: Vec<OsString> = Vec::new();
                for c in target.components() {
                    match c {
                        Component::RootDir | Component::Prefix(_) => {
                            // An absolute target restarts from the file system root.
                            cur = PathBuf::from(c.as_os_str());
                            parts.clear();
                        }
                        Component::CurDir => {}
                        Component::ParentDir => parts.push("..".into()),
                        Component::Normal(n) => parts.push(n.to_os_string()),
                    }
                }
                for p in parts.into_iter().rev() {
                    queue.push_front(p);
                }
            }
            Ok(_) => cur = next,
            Err(e) if e.kind() == io::ErrorKind::NotFound || is_not_dir(&e) => {
                // Nothing exists from here on, so no symlink can redirect the rest.
                cur = next;
                cur.extend(queue.drain(..));
            }
            Err(e) => return Err(Error::from_io(&e, rel)),
        }
    }
    Ok(cur)
}

fn is_not_dir(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotADirectory
}

/// Lexically normalizes `link_parent.join(target)` (no file system access) and says
/// whether it stays under `root`. A first, cheap filter for symlinks about to be created;
/// chains of links can defeat a lexical check, so callers verify with [`resolve`] after.
pub(crate) fn link_stays_inside(root: &Path, link_parent: &Path, target: &Path) -> bool {
    let mut cur = if target.is_absolute() {
        PathBuf::new()
    } else {
        link_parent.to_path_buf()
    };
    for c in target.components() {
        match c {
            Component::RootDir | Component::Prefix(_) => cur.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                if !cur.pop() {
                    return false;
                }
            }
            Component::Normal(n) => cur.push(n),
        }
    }
    cur.starts_with(root)
}
