//! The user's cache folder where the runtime unpacks builds (`…/aura/appimage/KEY`): when
//! each build was last started, and clearing what no start needs any more.
//!
//! Every update of the AppImage is a new build with a new folder (~90 MB). A build's folder
//! is removed when a newer build unpacks, if it has not been started for [`UNUSED_AFTER`]
//! and no process runs a program from it. A folder being removed is first renamed to a
//! hidden name, so a start never sees half of one: it unpacks its build again instead.

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A build not started for this long is assumed replaced (a week of not using an old copy
/// kept beside a new one costs it one more unpacking, about a second).
pub const UNUSED_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);

/// Unpacking takes about a second; a partial folder this old belongs to no live start.
pub const ABANDONED_AFTER: Duration = Duration::from_secs(600);

/// Records a start of the build in `dir` (its folder's modification time).
pub fn mark_used(dir: &Path) {
    let touched = fs::File::open(dir).and_then(|f| f.set_modified(SystemTime::now()));
    if let Err(e) = touched {
        // Only pruning reads the mark; a start must not fail for it.
        warn(&format!("cannot mark {} as used: {e}", dir.display()));
    }
}

/// Clears `base` of what no start needs: other builds unused for [`UNUSED_AFTER`] and not
/// running, partial unpackings older than [`ABANDONED_AFTER`], and folders a removal left.
/// `keep` is the build starting now. Errors are skipped: this is housekeeping.
pub fn clear(base: &Path, keep: &str) {
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let path = e.path();
        let age = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .unwrap_or_default();
        let hidden = name.starts_with('.');
        if hidden && name.ends_with(".removing") {
            remove_tree(&path);
        } else if hidden && name.ends_with(".partial") {
            if age > ABANDONED_AFTER {
                remove_tree(&path);
            }
        } else if !hidden && name != keep && path.is_dir() && age > UNUSED_AFTER {
            if running_from(&path) {
                continue;
            }
            let gone = base.join(format!(".{name}.{}.removing", std::process::id()));
            if fs::rename(&path, &gone).is_ok() {
                remove_tree(&gone);
            }
        }
    }
}

/// Whether a process of this user runs a program that lives inside `dir`.
pub fn running_from(dir: &Path) -> bool {
    let Ok(canonical) = dir.canonicalize() else {
        return false;
    };
    let Ok(procs) = fs::read_dir("/proc") else {
        // No /proc: nothing is known to be safe to remove.
        return true;
    };
    procs
        .flatten()
        .any(|p| fs::read_link(p.path().join("exe")).is_ok_and(|exe| exe.starts_with(&canonical)))
}

/// Removes a folder even where the image made sub-folders read-only (a non-root user
/// cannot delete entries of a folder without write permission).
pub fn remove_tree(path: &Path) {
    allow_writes(path);
    let _ = fs::remove_dir_all(path);
}

fn allow_writes(dir: &Path) {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            allow_writes(&e.path());
        }
    }
}

/// The runtime has no logger: it says so on stderr, where a terminal user sees it.
fn warn(message: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "Aura AppImage: {message}");
}
