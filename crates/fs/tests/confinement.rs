//! Nothing outside the project is read or written, whatever the path or the symlinks say.

// Helpers outside #[test] fns panic on failure by design; timings are reported on stderr.
#![allow(clippy::unwrap_used, clippy::print_stderr)]
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;

use aura_core::{ErrorCode, RelPath};
use aura_fs::{Encoding, ListOptions, ReadOptions, WriteMode};
use common::{Fixture, rel, snapshot};

#[test]
fn lexical_escapes_are_refused_before_any_io() {
    for bad in [
        "..",
        "../outside/secret.txt",
        "a/../../x",
        "/etc/passwd",
        "a\\..\\b",
        "C:/x",
    ] {
        assert_eq!(
            RelPath::new(bad).unwrap_err().code,
            ErrorCode::OutsideProject,
            "{bad}"
        );
    }
    // The IPC layer deserializes RelPath, so JSON cannot smuggle one in either.
    assert!(serde_json::from_str::<RelPath>("\"../x\"").is_err());
}

#[test]
fn symlinks_leading_out_are_refused_for_every_operation() {
    let f = Fixture::new();
    let out = f.outside();
    std::fs::write(out.join("secret.txt"), b"top secret").unwrap();
    std::fs::create_dir(out.join("dir")).unwrap();
    std::fs::write(out.join("dir/inner.txt"), b"inner").unwrap();
    symlink(out.join("secret.txt"), f.p("file_link")).unwrap();
    symlink(out.join("dir"), f.p("dir_link")).unwrap();
    // Relative link climbing out, in a middle component.
    std::fs::create_dir(f.p("sub")).unwrap();
    symlink("../../outside", f.p("sub/up")).unwrap();
    f.write("inside.txt", b"inside");
    let before = snapshot(&out);

    let root = &f.root;
    let ro = ReadOptions::default();
    let targets = [
        "file_link",
        "dir_link",
        "dir_link/inner.txt",
        "dir_link/new.txt",
        "sub/up/secret.txt",
        "sub/up/dir",
    ];
    for t in targets {
        let r = rel(t);
        let code = |res: aura_core::Result<()>| res.unwrap_err().code;
        assert_eq!(
            root.resolve(&r).unwrap_err().code,
            ErrorCode::OutsideProject,
            "resolve {t}"
        );
        assert_eq!(
            code(root.read_text(&r, &ro).map(drop)),
            ErrorCode::OutsideProject,
            "read {t}"
        );
        assert_eq!(
            code(
                root.write_text(&r, "pwned", Encoding::Utf8, WriteMode::Overwrite)
                    .map(drop)
            ),
            ErrorCode::OutsideProject,
            "write {t}"
        );
        assert_eq!(
            code(root.create_file(&r, b"pwned").map(drop)),
            ErrorCode::OutsideProject,
            "create {t}"
        );
        assert_eq!(
            code(root.create_dir(&r.join("d").unwrap())),
            ErrorCode::OutsideProject,
            "mkdir {t}"
        );
        assert_eq!(
            code(root.list_dir(&r, &ListOptions::default()).map(drop)),
            ErrorCode::OutsideProject,
            "list {t}"
        );
        assert_eq!(
            code(root.stat(&r).map(drop)),
            ErrorCode::OutsideProject,
            "stat {t}"
        );
        assert_eq!(
            code(root.delete(&r, true)),
            ErrorCode::OutsideProject,
            "delete {t}"
        );
        assert_eq!(
            code(root.rename(&r, &rel("stolen"))),
            ErrorCode::OutsideProject,
            "rename from {t}"
        );
        assert_eq!(
            code(root.rename(&rel("inside.txt"), &r)),
            ErrorCode::OutsideProject,
            "rename to {t}"
        );
        assert_eq!(
            code(root.copy(&r, &rel("stolen"))),
            ErrorCode::OutsideProject,
            "copy from {t}"
        );
        assert_eq!(
            code(root.copy(&rel("inside.txt"), &r)),
            ErrorCode::OutsideProject,
            "copy to {t}"
        );
    }
    assert_eq!(
        snapshot(&out),
        before,
        "the outside folder is byte-identical"
    );
    assert!(!f.p("stolen").exists());
    assert_eq!(std::fs::read(f.p("inside.txt")).unwrap(), b"inside");
}

#[test]
fn symlinks_inside_the_root_work() {
    let f = Fixture::new();
    f.write("real/a.txt", b"hello");
    symlink("real", f.p("alias")).unwrap();
    symlink("real/a.txt", f.p("a_link.txt")).unwrap();
    let ro = ReadOptions::default();
    assert_eq!(
        f.root.read_text(&rel("alias/a.txt"), &ro).unwrap().text,
        "hello"
    );
    assert_eq!(
        f.root.read_text(&rel("a_link.txt"), &ro).unwrap().text,
        "hello"
    );
    f.root
        .write_text(
            &rel("a_link.txt"),
            "bye",
            Encoding::Utf8,
            WriteMode::Overwrite,
        )
        .unwrap();
    // Saving through a link updates the target and keeps the link a link.
    assert!(
        std::fs::symlink_metadata(f.p("a_link.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(f.p("real/a.txt")).unwrap(), b"bye");
    f.root.create_file(&rel("alias/new.txt"), b"n").unwrap();
    assert_eq!(std::fs::read(f.p("real/new.txt")).unwrap(), b"n");
    let names: Vec<String> = f
        .root
        .list_dir(&rel("alias"), &ListOptions::default())
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["a.txt", "new.txt"]);
    // Deleting a link removes the link, not its target.
    f.root.delete(&rel("a_link.txt"), true).unwrap();
    assert!(f.p("real/a.txt").exists() && !f.p("a_link.txt").exists());
    // A symlink loop is an error, not a hang.
    symlink("loop2", f.p("loop1")).unwrap();
    symlink("loop1", f.p("loop2")).unwrap();
    assert_eq!(
        f.root.resolve(&rel("loop1/x")).unwrap_err().code,
        ErrorCode::InvalidInput
    );
}
