//! Deleting to the trash, hermetically: the work runs in a child process whose HOME and
//! XDG_DATA_HOME point into a temp dir, so no test thread's environment is changed and the
//! real home is never touched.

// Helpers outside #[test] fns panic on failure by design; timings are reported on stderr.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::path::Path;
use std::process::Command;

use aura_core::ErrorCode;
use aura_fs::ProjectRoot;
use common::rel;

const CHILD: &str = "AURA_FS_TRASH_CHILD";

fn run_child(test: &str, base: &Path, data_home: &Path) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads", "1"])
        .env(CHILD, base)
        .env("HOME", base.join("home"))
        .env("XDG_DATA_HOME", data_home)
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "child {test} failed:\n{log}");
    assert!(log.contains("1 passed"), "child {test} ran no test:\n{log}");
}

#[test]
fn delete_moves_files_and_folders_to_the_trash() {
    let tmp = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize(tmp.path()).unwrap();
    std::fs::create_dir_all(base.join("home")).unwrap();
    std::fs::create_dir_all(base.join("project/folder/sub")).unwrap();
    std::fs::write(base.join("project/doomed.txt"), b"bye").unwrap();
    std::fs::write(base.join("project/folder/sub/x.txt"), b"x").unwrap();
    std::fs::write(base.join("project/gone.txt"), b"for good").unwrap();
    run_child("child_deletes", &base, &base.join("data"));
    let trash = base.join("data/Trash/files");
    assert_eq!(std::fs::read(trash.join("doomed.txt")).unwrap(), b"bye");
    assert_eq!(std::fs::read(trash.join("folder/sub/x.txt")).unwrap(), b"x");
    assert!(
        !trash.join("gone.txt").exists(),
        "permanent delete bypasses the trash"
    );
    assert!(base.join("data/Trash/info/doomed.txt.trashinfo").is_file());
}

#[test]
fn without_a_usable_trash_nothing_is_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize(tmp.path()).unwrap();
    std::fs::create_dir_all(base.join("home")).unwrap();
    std::fs::create_dir_all(base.join("project")).unwrap();
    std::fs::write(base.join("project/keep.txt"), b"keep").unwrap();
    // A file where the data dir should be: no trash can be created under it.
    std::fs::write(base.join("not_a_dir"), b"").unwrap();
    run_child("child_no_trash", &base, &base.join("not_a_dir"));
    assert_eq!(
        std::fs::read(base.join("project/keep.txt")).unwrap(),
        b"keep"
    );
}

/// Runs only inside the child started above (a no-op in the normal test run).
#[test]
fn child_deletes() {
    let Some(base) = std::env::var_os(CHILD) else {
        return;
    };
    let base = Path::new(&base);
    let root = ProjectRoot::open(&base.join("project")).unwrap();
    root.delete(&rel("doomed.txt"), false).unwrap();
    assert!(!base.join("project/doomed.txt").exists());
    root.delete(&rel("folder"), false).unwrap();
    assert!(!base.join("project/folder").exists());
    root.delete(&rel("gone.txt"), true).unwrap();
    assert!(!base.join("project/gone.txt").exists());
}

#[test]
fn child_no_trash() {
    let Some(base) = std::env::var_os(CHILD) else {
        return;
    };
    let base = Path::new(&base);
    let root = ProjectRoot::open(&base.join("project")).unwrap();
    let err = root.delete(&rel("keep.txt"), false).unwrap_err();
    assert_eq!(err.code, ErrorCode::Io);
    assert!(err.message.contains("trash"), "{}", err.message);
    assert!(
        base.join("project/keep.txt").exists(),
        "never deleted for good instead"
    );
}
