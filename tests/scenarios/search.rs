//! Search scenarios through the app layer, as the Search panel and quick-open use them: the
//! index starts with the project, follows edits made outside (through the watcher) and
//! inside Aura (our own saves) within a second, survives a restart, and goes with `forget`.

// Test helpers outside #[test] fns panic on broken fixtures, which is what a test wants.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use aura_app::{App, IndexState, SearchQuery};
use aura_fs::Encoding;
use aura_testkit::{TempProject, TestHome};

const FRESH: Duration = Duration::from_secs(1);

/// A live app (it listens to file events, as the desktop does).
fn live_app(home: &TestHome) -> App {
    let app = App::start(home.dirs()).unwrap();
    app.set_fs_listener(Arc::new(|_, _| {}));
    app
}

fn ready(app: &App, id: &str) {
    let st = app.index_wait(id, Duration::from_secs(60)).unwrap();
    assert_eq!(st.state, IndexState::Ready, "{st:?}");
}

fn paths(app: &App, id: &str, pattern: &str) -> Vec<String> {
    let q = SearchQuery {
        pattern: pattern.into(),
        case_sensitive: true,
        ..Default::default()
    };
    let mut out = Vec::new();
    app.search_text(id, &q, &mut |b| {
        out.extend(b.files.into_iter().map(|f| f.path))
    })
    .unwrap();
    out.sort();
    out
}

/// Polls until the search gives `want`, failing after [`FRESH`] from `since`.
fn within_a_second(app: &App, id: &str, pattern: &str, want: &[&str], since: Instant) {
    loop {
        let got = paths(app, id, pattern);
        if got == want {
            return;
        }
        assert!(
            since.elapsed() < FRESH,
            "{pattern}: still {got:?} after {:?}, want {want:?}",
            since.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn edits_renames_and_deletes_show_in_search_within_a_second() {
    let home = TestHome::new();
    let app = live_app(&home);
    let proj = TempProject::with_files(&[("src/a.rs", "fn alpha() {}\n"), ("b.rs", "beta\n")]);
    let id = app.project_open(proj.path()).unwrap().id;
    ready(&app, &id);
    assert_eq!(paths(&app, &id, "alpha"), ["src/a.rs"]);

    // An edit made by another program arrives through the watcher.
    let t = Instant::now();
    proj.write("src/a.rs", "fn gamma_edited() {}\n");
    within_a_second(&app, &id, "gamma_edited", &["src/a.rs"], t);
    assert!(paths(&app, &id, "alpha").is_empty());

    let t = Instant::now();
    std::fs::rename(proj.file("b.rs"), proj.file("src/renamed.rs")).unwrap();
    within_a_second(&app, &id, "beta", &["src/renamed.rs"], t);
    assert_eq!(
        app.search_files(&id, "renamed", 5).unwrap()[0].path,
        "src/renamed.rs"
    );

    let t = Instant::now();
    std::fs::remove_file(proj.file("src/a.rs")).unwrap();
    within_a_second(&app, &id, "gamma_edited", &[], t);

    // Our own save is not echoed by the watcher; the app tells the index itself.
    let t = Instant::now();
    app.fs_write(&id, "new.rs", "delta_saved\n", Encoding::Utf8, None)
        .unwrap();
    within_a_second(&app, &id, "delta_saved", &["new.rs"], t);
    // The index, not a full scan, answers.
    let q = SearchQuery {
        pattern: "delta_saved".into(),
        ..Default::default()
    };
    assert!(app.search_text(&id, &q, &mut |_| {}).unwrap().used_index);
}

#[test]
fn a_restart_keeps_the_index_and_forget_removes_it() {
    let home = TestHome::new();
    let proj = TempProject::with_files(&[("a.py", "def kept(): pass\n"), ("b.py", "x = 1\n")]);
    let id = {
        let app = live_app(&home);
        let id = app.project_open(proj.path()).unwrap().id;
        ready(&app, &id);
        assert_eq!(app.index(&id).unwrap().files_read(), 2);
        id
    };
    let app = live_app(&home);
    app.project_open(proj.path()).unwrap();
    ready(&app, &id);
    assert_eq!(
        app.index(&id).unwrap().files_read(),
        0,
        "no file read again"
    );
    assert_eq!(paths(&app, &id, "kept"), ["a.py"]);

    let dir = home
        .dirs()
        .project_data(&aura_core::ProjectId::parse(&id).unwrap());
    assert!(dir.join("index").join("text").exists());
    app.project_forget(&id).unwrap();
    assert!(!dir.exists());
}

#[test]
fn quick_open_ranks_and_lifts_recent_files() {
    let home = TestHome::new();
    let app = live_app(&home);
    let proj = TempProject::with_files(&[
        ("src/main.rs", ""),
        ("src/mod/ain/reasons.rs", ""),
        ("docs/zz.md", ""),
    ]);
    let id = app.project_open(proj.path()).unwrap().id;
    let hits = app.search_files(&id, "main.rs", 10).unwrap();
    assert_eq!(hits[0].path, "src/main.rs");
    assert_eq!(hits[0].indices, (4..11).collect::<Vec<u32>>());
    app.fs_read(&id, "docs/zz.md", false).unwrap();
    assert_eq!(app.search_files(&id, "", 10).unwrap()[0].path, "docs/zz.md");
}
