//! File scenarios through the app layer, as the editor and explorer use them.

// Test helpers outside #[test] fns panic on broken fixtures, which is what a test wants.
#![allow(clippy::unwrap_used)]

use std::sync::mpsc;
use std::time::Duration;

use aura_app::App;
use aura_core::ErrorCode;
use aura_fs::{Encoding, FsEventKind};
use aura_testkit::{TempProject, TestHome};

fn open(files: &[(&str, &str)]) -> (TestHome, App, TempProject, String) {
    let home = TestHome::new();
    let app = App::start(home.dirs()).unwrap();
    let proj = TempProject::with_files(files);
    let id = app.project_open(proj.path()).unwrap().id;
    (home, app, proj, id)
}

#[test]
fn edit_save_cycle_with_conflict_detection() {
    let (_h, app, proj, id) = open(&[("hello.txt", "hello\n")]);
    let f = app.fs_read(&id, "hello.txt", false).unwrap();
    assert_eq!(f.text, "hello\n");
    let v2 = app
        .fs_write(
            &id,
            "hello.txt",
            "hello world\n",
            f.encoding,
            Some(f.version.clone()),
        )
        .unwrap();
    assert_eq!(proj.read("hello.txt"), "hello world\n");
    // Saving again with the stale version is a conflict and the disk keeps the newer text.
    let e = app
        .fs_write(&id, "hello.txt", "stale\n", f.encoding, Some(f.version))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(proj.read("hello.txt"), "hello world\n");
    // Control: the current version saves.
    app.fs_write(&id, "hello.txt", "third\n", Encoding::Utf8, Some(v2))
        .unwrap();
    assert_eq!(proj.read("hello.txt"), "third\n");
    // Opening a file records it as recent.
    assert_eq!(app.recent_files(&id).unwrap(), ["hello.txt"]);
}

#[test]
fn paths_from_the_ui_cannot_leave_the_project() {
    let (_h, app, _proj, id) = open(&[("a.txt", "a")]);
    for bad in ["../x", "/etc/passwd", "a\\..\\..\\x", "src/../../x"] {
        let e = app.fs_read(&id, bad, true).unwrap_err();
        assert_eq!(e.code, ErrorCode::OutsideProject, "{bad}");
        let e = app
            .fs_write(&id, bad, "x", Encoding::Utf8, None)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::OutsideProject, "{bad}");
    }
    assert_eq!(
        app.fs_read("not-an-id", "a.txt", true).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        app.fs_read(&"0".repeat(32), "a.txt", true)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    assert_eq!(app.fs_read(&id, "a.txt", true).unwrap().text, "a");
}

#[test]
fn explorer_operations_change_the_disk() {
    let (_h, app, proj, id) = open(&[
        ("src/main.py", "print(1)\n"),
        (".gitignore", "build/\n"),
        ("build/out", "x"),
    ]);
    app.fs_create_dir(&id, "docs").unwrap();
    app.fs_create_file(&id, "docs/notes.md").unwrap();
    assert!(proj.file("docs/notes.md").is_file());
    assert_eq!(
        app.fs_create_file(&id, "docs/notes.md").unwrap_err().code,
        ErrorCode::AlreadyExists
    );
    app.fs_rename(&id, "src/main.py", "src/app.py").unwrap();
    assert_eq!(proj.read("src/app.py"), "print(1)\n");
    app.fs_copy(&id, "src", "src2").unwrap();
    assert_eq!(proj.read("src2/app.py"), "print(1)\n");
    app.fs_delete(&id, "src2", true).unwrap();
    assert!(!proj.file("src2").exists());

    let root = app.fs_list(&id, "", None).unwrap();
    let names: Vec<&str> = root.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["build", "docs", "src", ".gitignore"]);
    assert!(root[0].ignored && !root[1].ignored);
}

#[test]
fn a_file_over_the_limit_opens_read_only() {
    let (_h, app, proj, id) = open(&[]);
    let big = std::fs::File::create(proj.file("big.log")).unwrap();
    big.set_len(app.settings().max_edit_bytes() + 1).unwrap();
    assert_eq!(
        app.fs_read(&id, "big.log", false).unwrap_err().code,
        ErrorCode::TooLarge
    );
    let ro = app.fs_read(&id, "big.log", true);
    // A sparse file is all NUL bytes: binary, so refused either way, but never TooLarge.
    assert_ne!(
        ro.map(|f| f.read_only).map_err(|e| e.code),
        Err(ErrorCode::TooLarge)
    );
}

#[test]
fn opened_projects_report_external_changes_to_the_listener() {
    let home = TestHome::new();
    let app = App::start(home.dirs()).unwrap();
    let (tx, rx) = mpsc::channel();
    app.set_fs_listener(std::sync::Arc::new(move |pid, events| {
        let _ = tx.send((pid.to_string(), events));
    }));
    let proj = TempProject::new();
    let id = app.project_open(proj.path()).unwrap().id;
    std::thread::sleep(Duration::from_millis(100));
    proj.write("new.txt", "x");
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    let mut seen = false;
    while let Ok((pid, events)) =
        rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
    {
        assert_eq!(pid, id);
        if events.iter().any(|e| {
            e.path.as_str() == "new.txt"
                && matches!(e.kind, FsEventKind::Created | FsEventKind::Modified)
        }) {
            seen = true;
            break;
        }
    }
    assert!(seen, "no event for new.txt");
}
