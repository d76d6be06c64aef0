//! settings.toml and logs under AURA_HOME.

// Test helpers outside #[test] fns panic on broken fixtures, which is what a test wants.
#![allow(clippy::unwrap_used)]

use aura_app::App;
use aura_core::settings::{AutoSave, Settings};
use aura_testkit::TestHome;

#[test]
fn first_run_writes_defaults_that_load_back() {
    let home = TestHome::new();
    let app = App::start(home.dirs()).unwrap();
    let text = std::fs::read_to_string(home.dirs().settings_file()).unwrap();
    assert_eq!(
        Settings::from_toml(&text).unwrap().settings,
        Settings::default()
    );
    assert!(app.info().warnings.is_empty());
    assert!(home.dirs().database_file().is_file());
}

#[test]
fn a_bad_value_is_reported_by_key_and_the_file_is_kept() {
    let home = TestHome::new();
    let dirs = home.dirs();
    std::fs::create_dir_all(&dirs.config).unwrap();
    let bad = "[editor]\nfont_size = 900\n";
    std::fs::write(dirs.settings_file(), bad).unwrap();
    let app = App::start(dirs.clone()).unwrap();
    let w = app.info().warnings;
    assert_eq!(w.len(), 1);
    assert!(w[0].contains("editor.font_size"), "{w:?}");
    assert_eq!(app.settings(), Settings::default());
    assert_eq!(std::fs::read_to_string(dirs.settings_file()).unwrap(), bad);
}

#[test]
fn unknown_keys_warn_and_known_values_apply() {
    let home = TestHome::new();
    let dirs = home.dirs();
    std::fs::create_dir_all(&dirs.config).unwrap();
    std::fs::write(
        dirs.settings_file(),
        "[editor]\nfont_size = 18\nsparkle = 1\n",
    )
    .unwrap();
    let app = App::start(dirs).unwrap();
    assert_eq!(app.settings().editor.font_size, 18);
    assert!(
        app.info()
            .warnings
            .iter()
            .any(|w| w.contains("editor.sparkle"))
    );
}

#[test]
fn set_settings_validates_and_persists() {
    let home = TestHome::new();
    let app = App::start(home.dirs()).unwrap();
    let mut s = app.settings();
    s.editor.tab_size = 0;
    assert!(
        app.set_settings(s.clone())
            .unwrap_err()
            .message
            .contains("editor.tab_size")
    );
    s.editor.tab_size = 2;
    s.editor.auto_save = AutoSave::OnFocusChange;
    app.set_settings(s.clone()).unwrap();
    let again = App::start(home.dirs()).unwrap();
    assert_eq!(again.settings(), s);
}

#[test]
fn logs_go_to_the_log_dir() {
    let home = TestHome::new();
    let dirs = home.dirs();
    let guard = aura_app::logging::init(&dirs.logs, "aura-test", "info", "off");
    tracing::info!("probe line for the log test");
    drop(guard);
    let files: Vec<_> = std::fs::read_dir(&dirs.logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.contains("probe line for the log test"), "{text}");
}

#[test]
fn the_settings_tab_saves_only_valid_text_and_checks_the_version() {
    let home = TestHome::new();
    let app = App::start(home.dirs()).unwrap();
    let file = home.dirs().settings_file();
    let read = app.settings_file_read().unwrap();
    assert_eq!(read.text, std::fs::read_to_string(&file).unwrap());

    // A bad value is refused by key and the file stays byte for byte as it was.
    let err = app
        .settings_file_write("[editor]\nfont_size = 900\n", Some(read.version.clone()))
        .unwrap_err();
    assert_eq!(err.code, aura_core::ErrorCode::InvalidInput);
    assert!(err.message.contains("editor.font_size"), "{}", err.message);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), read.text);
    assert_eq!(app.settings(), Settings::default());

    // Valid text is written as typed (comments kept) and applies at once.
    let text = "# mine\n[editor]\nfont_size = 19\nsparkle = 1\n";
    let saved = app
        .settings_file_write(text, Some(read.version.clone()))
        .unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(saved.settings.editor.font_size, 19);
    assert_eq!(app.settings().editor.font_size, 19);
    assert!(saved.warnings.iter().any(|w| w.contains("editor.sparkle")));

    // The version the tab read is stale now: a second save from it is a conflict.
    let err = app
        .settings_file_write("[editor]\nfont_size = 12\n", Some(read.version))
        .unwrap_err();
    assert_eq!(err.code, aura_core::ErrorCode::Conflict);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // A control: the current version saves.
    app.settings_file_write("[editor]\nfont_size = 12\n", Some(saved.version))
        .unwrap();
    assert_eq!(
        App::start(home.dirs()).unwrap().settings().editor.font_size,
        12
    );
}
