//! Project scenarios as the welcome screen and the CLI drive them: templates, open,
//! recents, metadata, forget, import/export. Real folders, a real SQLite file.

// Test helpers outside #[test] fns panic on broken fixtures, which is what a test wants.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use aura_app::{App, ProjectUpdate};
use aura_core::ErrorCode;
use aura_testkit::{TempProject, TestHome};

fn app(home: &TestHome) -> App {
    App::start(home.dirs()).unwrap()
}

fn on_path(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn every_template_creates_its_files_and_registers() {
    let home = TestHome::new();
    let app = app(&home);
    let loc = tempfile::tempdir().unwrap();
    for t in app.project_templates() {
        let p = app
            .project_create(&format!("demo-{}", t.id), &t.id, loc.path())
            .unwrap();
        let dir = std::path::Path::new(&p.path);
        assert!(dir.is_dir());
        assert_eq!(p.language, t.language, "{}", t.id);
        let tpl = aura_app::templates::find(&t.id).unwrap();
        for (rel, contents) in tpl.files {
            assert_eq!(std::fs::read_to_string(dir.join(rel)).unwrap(), *contents);
        }
    }
    assert_eq!(
        app.project_list_recent(100).unwrap().len(),
        app.project_templates().len()
    );
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(loc.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The templates that name a run command really print their greeting.
#[test]
fn runnable_templates_say_hello() {
    let home = TestHome::new();
    let app = app(&home);
    let loc = tempfile::tempdir().unwrap();
    let mut ran = 0;
    for t in aura_app::templates::TEMPLATES {
        let Some(cmd) = t.run else { continue };
        if !on_path(cmd[0]) {
            eprintln!(
                "skipping the {} template: {} is not installed",
                t.id, cmd[0]
            );
            continue;
        }
        let p = app.project_create(t.id, t.id, loc.path()).unwrap();
        let out = Command::new(cmd[0])
            .args(&cmd[1..])
            .current_dir(&p.path)
            // The template's own build must not land in (or lock) Aura's target dir.
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}: {}",
            t.id,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("Hello, world!"), "{}: {stdout}", t.id);
        ran += 1;
    }
    assert!(
        ran >= 2,
        "python3 and node are expected on a machine that runs the tests"
    );
}

#[test]
fn create_refuses_bad_input_and_never_touches_an_existing_folder() {
    let home = TestHome::new();
    let app = app(&home);
    let loc = TempProject::with_files(&[("taken/keep.txt", "mine")]);
    let e = app
        .project_create("taken", "python", loc.path())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AlreadyExists);
    assert_eq!(loc.read("taken/keep.txt"), "mine");
    assert!(!loc.file("taken/main.py").exists());
    for bad in ["", "..", "a/b", "a\\b"] {
        assert_eq!(
            app.project_create(bad, "empty", loc.path())
                .unwrap_err()
                .code,
            ErrorCode::InvalidInput,
            "{bad:?}"
        );
    }
    assert_eq!(
        app.project_create("x", "cobol", loc.path())
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    let missing = loc.path().join("nope");
    assert_eq!(
        app.project_create("x", "empty", &missing).unwrap_err().code,
        ErrorCode::NotFound
    );
    // Control: a good name in the same place works.
    assert!(app.project_create("fresh", "empty", loc.path()).is_ok());
}

#[test]
fn open_detects_language_and_reopen_keeps_identity() {
    let home = TestHome::new();
    let app = app(&home);
    let proj = TempProject::with_files(&[
        ("a.py", ""),
        ("b.py", ""),
        ("index.html", ""),
        ("README.md", ""),
    ]);
    let first = app.project_open(proj.path()).unwrap();
    assert_eq!(first.language.as_deref(), Some("python"));
    let again = app.project_open(proj.path()).unwrap();
    assert_eq!(first.id, again.id);
    assert!(again.last_opened_ms >= first.last_opened_ms);
    assert_eq!(app.project_list_recent(10).unwrap().len(), 1);
}

#[test]
fn recents_are_last_opened_first_and_survive_restart() {
    let home = TestHome::new();
    let (a, b) = (TempProject::new(), TempProject::new());
    {
        let app = app(&home);
        app.project_open(a.path()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.project_open(b.path()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.project_open(a.path()).unwrap();
    }
    let app = app(&home);
    let order: Vec<String> = app
        .project_list_recent(10)
        .unwrap()
        .into_iter()
        .map(|p| p.path)
        .collect();
    let canon = |p: &TempProject| p.path().canonicalize().unwrap().display().to_string();
    assert_eq!(order, [canon(&a), canon(&b)]);
}

#[test]
fn update_metadata_and_forget_leaves_files() {
    let home = TestHome::new();
    let app = app(&home);
    let proj = TempProject::with_files(&[("main.rs", "fn main() {}")]);
    let p = app.project_open(proj.path()).unwrap();
    let upd = ProjectUpdate {
        name: Some("Renamed".into()),
        description: Some("my project".into()),
        language: Some(Some("rust".into())),
        settings_json: Some(r#"{"tabSize":2}"#.into()),
    };
    let u = app.project_update(&p.id, upd).unwrap();
    assert_eq!(
        (u.name.as_str(), u.description.as_str(), u.settings.as_str()),
        ("Renamed", "my project", r#"{"tabSize":2}"#)
    );
    let bad = ProjectUpdate {
        settings_json: Some("not json".into()),
        ..Default::default()
    };
    assert_eq!(
        app.project_update(&p.id, bad).unwrap_err().code,
        ErrorCode::InvalidInput
    );

    std::fs::create_dir_all(
        app.dirs()
            .project_data(&aura_core::ProjectId::parse(&p.id).unwrap()),
    )
    .unwrap();
    app.project_forget(&p.id).unwrap();
    assert!(app.project_list_recent(10).unwrap().is_empty());
    assert_eq!(proj.read("main.rs"), "fn main() {}");
    assert!(
        !app.dirs()
            .project_data(&aura_core::ProjectId::parse(&p.id).unwrap())
            .exists()
    );
    assert_eq!(
        app.project_forget(&p.id).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        app.project_forget("../../etc").unwrap_err().code,
        ErrorCode::InvalidInput
    );
}

#[test]
fn export_then_import_roundtrips_without_ignored_files() {
    let home = TestHome::new();
    let app = app(&home);
    let proj = TempProject::with_files(&[
        ("src/lib.rs", "pub fn f() {}\n"),
        ("README.md", "# r\n"),
        (".gitignore", "target/\n"),
        ("target/big.bin", "ignored"),
    ]);
    let p = app.project_open(proj.path()).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let zip = out_dir.path().join("proj.zip");
    let report = app.project_export(&p.id, &zip).unwrap();
    assert_eq!(report.files, 3);
    // Exporting again onto the same file is refused, never overwritten.
    assert_eq!(
        app.project_export(&p.id, &zip).unwrap_err().code,
        ErrorCode::AlreadyExists
    );

    let imported = app.project_import(&zip, out_dir.path(), None).unwrap();
    let dir = std::path::Path::new(&imported.path);
    assert!(imported.path.ends_with("/proj"), "{}", imported.path);
    assert_eq!(
        std::fs::read_to_string(dir.join("src/lib.rs")).unwrap(),
        "pub fn f() {}\n"
    );
    assert!(!dir.join("target").exists());
    assert_eq!(
        app.project_import(&zip, out_dir.path(), None)
            .unwrap_err()
            .code,
        ErrorCode::AlreadyExists
    );
}
