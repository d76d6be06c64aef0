//! The index on real files: what it skips, restarts without re-reading, rebuilding a damaged
//! folder, file events, pause/cancel, replace with conflicts and undo.

// Test code: a broken fixture should panic with its message.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use aura_core::{ErrorCode, RelPath};
use aura_fs::{FsEvent, FsEventKind, ProjectRoot};
use aura_index::{FileTarget, IndexOptions, IndexState, ProjectIndex, SearchQuery};
use aura_testkit::TempProject;

const WAIT: Duration = Duration::from_secs(60);

fn open(project: &TempProject, index_dir: &Path) -> ProjectIndex {
    let ix = ProjectIndex::open(
        ProjectRoot::open(project.path()).unwrap(),
        IndexOptions::new(index_dir.to_path_buf()),
    )
    .unwrap();
    assert_eq!(ix.wait_ready(WAIT).state, IndexState::Ready);
    ix
}

fn q(pattern: &str) -> SearchQuery {
    SearchQuery {
        pattern: pattern.into(),
        case_sensitive: true,
        ..Default::default()
    }
}

/// Paths with a match, and whether the index narrowed the search.
fn find(ix: &ProjectIndex, query: &SearchQuery) -> (Vec<String>, bool) {
    let mut paths = Vec::new();
    let s = ix
        .search(query, &AtomicBool::new(false), &mut |f| paths.push(f.path))
        .unwrap();
    paths.sort();
    (paths, s.used_index)
}

fn event(path: &str, kind: FsEventKind) -> FsEvent {
    FsEvent {
        path: RelPath::new(path).unwrap(),
        kind,
    }
}

#[test]
fn skips_ignored_binary_and_huge_files_and_lists_them_for_quick_open() {
    let p = TempProject::with_files(&[
        (".gitignore", "target/\n"),
        ("src/lib.rs", "pub fn needle_here() {}\n"),
        ("target/out.rs", "needle_here\n"),
        (".hidden/x.rs", "needle_here\n"),
    ]);
    std::fs::write(p.file("blob.bin"), b"needle_here\0\x01\x02").unwrap();
    let mut huge = "needle_here\n".repeat(100_000);
    huge.push('x');
    p.write("huge.txt", &huge);
    let home = tempfile::tempdir().unwrap();
    let ix = open(&p, home.path());
    let (paths, used) = find(&ix, &q("needle_here"));
    assert_eq!(paths, ["src/lib.rs"]);
    assert!(used);
    // The same rules hold when every file is scanned (a query the index cannot narrow).
    let mut re = q(r"ne+dle_h\w+");
    re.regex = true;
    assert_eq!(find(&ix, &re).0, ["src/lib.rs"]);
    let listed = ix.paths().unwrap();
    // Dot files are not listed (as in the explorer's default), ignored ones neither.
    assert_eq!(listed, ["blob.bin", "huge.txt", "src/lib.rs"]);
    assert_eq!(ix.find_files("lib", &[], 5).unwrap()[0].path, "src/lib.rs");
}

#[test]
fn a_restart_reads_only_what_changed() {
    let p = TempProject::with_files(&[
        ("a.rs", "alpha_one\n"),
        ("b.rs", "beta_two\n"),
        ("c/d.rs", "gamma_three\n"),
    ]);
    std::fs::write(p.file("bin.dat"), b"\0\0\0").unwrap();
    let home = tempfile::tempdir().unwrap();
    let ix = open(&p, home.path());
    assert_eq!(ix.files_read(), 4);
    drop(ix);

    let ix = open(&p, home.path());
    assert_eq!(ix.files_read(), 0, "an unchanged tree is not read again");
    assert_eq!(find(&ix, &q("gamma_three")).0, ["c/d.rs"]);
    drop(ix);

    // Changed while closed: one file edited, one removed, one added.
    p.write("b.rs", "beta_changed_longer\n");
    std::fs::remove_file(p.file("a.rs")).unwrap();
    p.write("e.rs", "epsilon\n");
    let ix = open(&p, home.path());
    assert_eq!(ix.files_read(), 2);
    assert_eq!(find(&ix, &q("beta_changed")).0, ["b.rs"]);
    assert!(find(&ix, &q("alpha_one")).0.is_empty());
    assert_eq!(find(&ix, &q("epsilon")).0, ["e.rs"]);
}

#[test]
fn a_damaged_or_outdated_index_folder_is_rebuilt() {
    let p = TempProject::with_files(&[("a.rs", "fn searchable_thing() {}\n")]);
    let home = tempfile::tempdir().unwrap();
    drop(open(&p, home.path()));
    for entry in std::fs::read_dir(home.path()).unwrap().flatten() {
        if entry.file_name() != "aura-format" {
            std::fs::write(entry.path(), b"garbage garbage garbage").unwrap();
        }
    }
    let ix = open(&p, home.path());
    assert_eq!(ix.files_read(), 1, "rebuilt from the files");
    assert_eq!(
        find(&ix, &q("searchable_thing")),
        (vec!["a.rs".to_owned()], true)
    );
    drop(ix);

    std::fs::write(home.path().join("aura-format"), "0\n").unwrap();
    let ix = open(&p, home.path());
    assert_eq!(ix.files_read(), 1, "an older format is rebuilt");
    assert_eq!(find(&ix, &q("searchable_thing")).0, ["a.rs"]);
}

#[test]
fn file_events_keep_it_current() {
    let p = TempProject::with_files(&[("a.rs", "old_word\n"), ("dir/b.rs", "moved_word\n")]);
    let home = tempfile::tempdir().unwrap();
    let ix = open(&p, home.path());

    p.write("a.rs", "new_word\n");
    p.write("c.rs", "created_word\n");
    ix.apply_events(vec![
        event("a.rs", FsEventKind::Modified),
        event("c.rs", FsEventKind::Created),
    ]);
    ix.flush();
    assert!(find(&ix, &q("old_word")).0.is_empty());
    assert_eq!(find(&ix, &q("new_word")), (vec!["a.rs".to_owned()], true));
    assert_eq!(find(&ix, &q("created_word")).0, ["c.rs"]);

    std::fs::rename(p.file("dir"), p.file("moved")).unwrap();
    let from = RelPath::new("dir").unwrap();
    ix.apply_events(vec![event("moved", FsEventKind::Renamed { from })]);
    ix.flush();
    assert_eq!(find(&ix, &q("moved_word")).0, ["moved/b.rs"]);
    assert!(
        ix.find_files("b.rs", &[], 5)
            .unwrap()
            .iter()
            .all(|m| m.path == "moved/b.rs")
    );

    std::fs::remove_file(p.file("c.rs")).unwrap();
    p.write("moved/late.rs", "rescued_word\n");
    ix.apply_events(vec![event("", FsEventKind::Rescan)]);
    ix.flush();
    assert!(find(&ix, &q("created_word")).0.is_empty());
    assert_eq!(find(&ix, &q("rescued_word")).0, ["moved/late.rs"]);
}

#[test]
fn pause_and_cancel_fall_back_to_scanning() {
    let files: Vec<(String, String)> = (0..300)
        .map(|i| (format!("f{i}.txt"), format!("line {i} common_word\n")))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let p = TempProject::with_files(&refs);
    let home = tempfile::tempdir().unwrap();
    let ix = ProjectIndex::open(
        ProjectRoot::open(p.path()).unwrap(),
        IndexOptions::new(home.path().to_path_buf()),
    )
    .unwrap();
    ix.set_paused(true);
    ix.cancel();
    let st = ix.wait_ready(WAIT);
    assert!(
        matches!(st.state, IndexState::Cancelled | IndexState::Ready),
        "{st:?}"
    );
    // Whatever state the build stopped in, results are complete.
    let (paths, _) = find(&ix, &q("common_word"));
    assert_eq!(paths.len(), 300);
    ix.set_paused(false);
    ix.flush();
    assert_eq!(ix.wait_ready(WAIT).state, IndexState::Ready);
    let (paths, used) = find(&ix, &q("common_word"));
    assert_eq!((paths.len(), used), (300, true));
}

#[test]
fn replace_all_with_conflict_and_undo() {
    let p = TempProject::with_files(&[
        ("a.rs", "let x = foo(1);\nfoo(2)\n"),
        ("b.rs", "foo(3)\n"),
        ("c.rs", "nothing\n"),
    ]);
    let home = tempfile::tempdir().unwrap();
    let ix = open(&p, home.path());
    let mut query = q(r"foo\((\d)\)");
    query.regex = true;
    let preview = ix
        .replace_preview(&query, "bar[$1]", &AtomicBool::new(false))
        .unwrap();
    let names: Vec<&str> = preview.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(names, ["a.rs", "b.rs"]);
    let m = &preview.files[0].matches[0];
    assert_eq!(
        (m.line, m.matched.as_str(), m.replacement.as_str()),
        (1, "foo(1)", "bar[1]")
    );
    assert_eq!((m.range.start, m.range.end), (9, 15));

    // b.rs changes on disk after the preview: it must be left alone.
    p.write("b.rs", "foo(3) edited elsewhere\n");
    let targets: Vec<FileTarget> = preview
        .files
        .iter()
        .map(|f| FileTarget {
            path: f.path.clone(),
            version: f.version.clone(),
        })
        .collect();
    let done = ix.replace_apply(&query, "bar[$1]", &targets).unwrap();
    assert_eq!(p.read("a.rs"), "let x = bar[1];\nbar[2]\n");
    assert_eq!(p.read("b.rs"), "foo(3) edited elsewhere\n");
    assert_eq!(done.replacements, 2);
    assert_eq!(done.failed.len(), 1);
    assert_eq!(done.failed[0].error.code, ErrorCode::Conflict);
    ix.flush();
    assert_eq!(
        find(&ix, &q("bar[2]")).0,
        ["a.rs"],
        "the index saw our own write"
    );

    let undo = ix.replace_undo(&done.undo_id).unwrap();
    assert_eq!(undo.restored, ["a.rs"]);
    assert_eq!(p.read("a.rs"), "let x = foo(1);\nfoo(2)\n");
    assert_eq!(
        ix.replace_undo(&done.undo_id).unwrap_err().code,
        ErrorCode::NotFound
    );

    // An undo never overwrites an edit made after the replace.
    let again = ix
        .replace_apply(
            &query,
            "z",
            &[FileTarget {
                path: "a.rs".into(),
                version: aura_fs::FileVersion::of(p.read("a.rs").as_bytes()).to_string(),
            }],
        )
        .unwrap();
    p.write("a.rs", "mine now\n");
    let undo = ix.replace_undo(&again.undo_id).unwrap();
    assert_eq!(undo.failed[0].error.code, ErrorCode::Conflict);
    assert_eq!(p.read("a.rs"), "mine now\n");
}

#[test]
fn results_carry_context_and_utf16_columns() {
    let p = TempProject::with_files(&[("a.txt", "one\nété target\nthree\nfour\n")]);
    let home = tempfile::tempdir().unwrap();
    let ix = open(&p, home.path());
    let mut query = q("target");
    query.context_lines = Some(1);
    let mut files = Vec::new();
    ix.search(&query, &AtomicBool::new(false), &mut |f| files.push(f))
        .unwrap();
    let lines: Vec<(u32, bool)> = files[0].lines.iter().map(|l| (l.line, l.context)).collect();
    assert_eq!(lines, [(1, true), (2, false), (3, true)]);
    let r = files[0].lines[1].ranges[0];
    // "été " is 4 UTF-16 units but 7 bytes.
    assert_eq!((r.start, r.end, r.start_byte, r.end_byte), (5, 11, 6, 12));
}

/// Search opens files relative to their folder without following links: a symlink that
/// leads out of the project is never read, one inside is; a FIFO does not hang it.
#[test]
fn search_reads_no_file_outside_the_project_and_never_blocks_on_a_fifo() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOPSECRET\n").unwrap();
    let p = TempProject::with_files(&[("a.txt", "INSIDEWORD\n"), ("src/b.txt", "plain\n")]);
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), p.file("src/out.txt")).unwrap();
    std::os::unix::fs::symlink(p.file("a.txt"), p.file("src/in.txt")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(p.file("src/pipe"))
        .status()
        .unwrap();
    assert!(fifo.success());
    let dir = tempfile::tempdir().unwrap();
    let ix = open(&p, dir.path());
    // Control: the secret is there to be found by anything that follows the link.
    let via_link = std::fs::read_to_string(p.file("src/out.txt")).unwrap();
    assert!(via_link.contains("TOPSECRET"));
    for pattern in ["TOPSECRET", "INSIDEWORD", "plain"] {
        // A scan (no index) and an index-narrowed search both go through the same opening.
        let (paths, _) = find(&ix, &q(pattern));
        let mut regex = q(&format!("{pattern}|nothing_else"));
        regex.regex = true;
        let (by_regex, _) = find(&ix, &regex);
        assert_eq!(paths, by_regex, "{pattern}");
        match pattern {
            "TOPSECRET" => assert!(paths.is_empty(), "{paths:?}"),
            "INSIDEWORD" => assert_eq!(paths, ["a.txt", "src/in.txt"]),
            _ => assert_eq!(paths, ["src/b.txt"]),
        }
    }
}
