//! Create, rename, copy and delete: never overwriting, never touching the root.

// Helpers outside #[test] fns panic on failure by design; timings are reported on stderr.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use aura_core::ErrorCode;
use aura_fs::EntryKind;
use common::{Fixture, rel};

#[test]
fn create_file_and_dir() {
    let f = Fixture::new();
    f.root.create_file(&rel("a.txt"), b"one").unwrap();
    assert_eq!(std::fs::read(f.p("a.txt")).unwrap(), b"one");
    assert_eq!(
        f.root.create_file(&rel("a.txt"), b"two").unwrap_err().code,
        ErrorCode::AlreadyExists
    );
    assert_eq!(std::fs::read(f.p("a.txt")).unwrap(), b"one");
    assert_eq!(
        f.root
            .create_file(&rel("nope/b.txt"), b"x")
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    f.root.create_dir(&rel("x/y/z")).unwrap();
    assert!(f.p("x/y/z").is_dir());
    assert_eq!(
        f.root.create_dir(&rel("x/y")).unwrap_err().code,
        ErrorCode::AlreadyExists
    );
    assert_eq!(f.root.stat(&rel("x")).unwrap().kind, EntryKind::Dir);
    let st = f.root.stat(&rel("a.txt")).unwrap();
    assert_eq!((st.kind, st.size), (EntryKind::File, 3));
    assert!(st.modified_ms > 1_600_000_000_000);
}

#[test]
fn rename_never_overwrites_and_refuses_moving_into_itself() {
    let f = Fixture::new();
    f.write("a.txt", b"a");
    f.write("b.txt", b"b");
    f.write("dir/inner.txt", b"i");
    assert_eq!(
        f.root
            .rename(&rel("a.txt"), &rel("b.txt"))
            .unwrap_err()
            .code,
        ErrorCode::AlreadyExists
    );
    assert_eq!(std::fs::read(f.p("b.txt")).unwrap(), b"b");
    assert_eq!(
        f.root
            .rename(&rel("dir"), &rel("dir/sub"))
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        f.root
            .rename(&aura_core::RelPath::root(), &rel("x"))
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        f.root
            .rename(&rel("a.txt"), &rel("missing/a.txt"))
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    // Controls.
    f.root.rename(&rel("a.txt"), &rel("dir/a.txt")).unwrap();
    assert_eq!(std::fs::read(f.p("dir/a.txt")).unwrap(), b"a");
    assert!(!f.p("a.txt").exists());
    f.root.rename(&rel("dir"), &rel("renamed")).unwrap();
    assert!(f.p("renamed/inner.txt").is_file());
}

#[test]
fn copy_files_and_folders_recursively() {
    let f = Fixture::new();
    f.write("src/a.txt", b"a");
    f.write("src/deep/b.txt", b"b");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("a.txt", f.p("src/link_in")).unwrap();
        std::os::unix::fs::symlink(f.outside().join("x"), f.p("src/link_out")).unwrap();
        // Fine where it is, but one level deeper it would climb out of the project.
        std::os::unix::fs::symlink("../..", f.p("src/deep/up2")).unwrap();
    }
    f.root.copy(&rel("src"), &rel("copy")).unwrap();
    assert_eq!(std::fs::read(f.p("copy/a.txt")).unwrap(), b"a");
    assert_eq!(std::fs::read(f.p("copy/deep/b.txt")).unwrap(), b"b");
    #[cfg(unix)]
    {
        assert_eq!(
            std::fs::read_link(f.p("copy/link_in")).unwrap(),
            std::path::Path::new("a.txt")
        );
        assert!(
            std::fs::symlink_metadata(f.p("copy/link_out")).is_err(),
            "outside link skipped"
        );
        assert!(
            std::fs::symlink_metadata(f.p("copy/deep/up2")).is_ok(),
            "still inside from copy/deep"
        );
    }
    assert_eq!(
        f.root.copy(&rel("src"), &rel("copy")).unwrap_err().code,
        ErrorCode::AlreadyExists
    );
    assert_eq!(
        f.root
            .copy(&rel("src"), &rel("src/inner"))
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    f.root.copy(&rel("src/a.txt"), &rel("a2.txt")).unwrap();
    assert_eq!(std::fs::read(f.p("a2.txt")).unwrap(), b"a");
    assert_eq!(
        f.root
            .copy(&rel("src/a.txt"), &rel("a2.txt"))
            .unwrap_err()
            .code,
        ErrorCode::AlreadyExists
    );
}

#[test]
fn permanent_delete_and_root_protection() {
    let f = Fixture::new();
    f.write("a.txt", b"a");
    f.write("dir/x/y.txt", b"y");
    assert_eq!(
        f.root
            .delete(&aura_core::RelPath::root(), true)
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        f.root.delete(&rel("missing"), true).unwrap_err().code,
        ErrorCode::NotFound
    );
    f.root.delete(&rel("a.txt"), true).unwrap();
    f.root.delete(&rel("dir"), true).unwrap();
    assert!(!f.p("a.txt").exists() && !f.p("dir").exists());
    assert!(f.root.path().is_dir());
}
