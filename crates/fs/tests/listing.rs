//! The explorer's view of one folder, and the recursive file walk.

// Helpers outside #[test] fns panic on failure by design; timings are reported on stderr.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::time::Instant;

use aura_core::RelPath;
use aura_fs::{EntryKind, ListOptions, WalkOptions};
use common::{Fixture, rel};

fn names(entries: &[aura_fs::DirEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.name.as_str()).collect()
}

fn project() -> Fixture {
    let f = Fixture::new();
    f.write(".gitignore", b"target/\n*.log\n!keep.log\n");
    f.write(".git/HEAD", b"ref: refs/heads/main\n");
    f.write(".git/info/exclude", b"secret.env\n");
    f.write("target/debug/app", b"bin");
    f.write("src/.ignore", b"generated.rs\n");
    f.write("src/generated.rs", b"");
    f.write("src/main.rs", b"fn main() {}");
    f.write("src/nested/.gitignore", b"*.tmp\n");
    f.write("src/nested/file.tmp", b"");
    f.write("src/nested/file.rs", b"");
    f.write("b.log", b"");
    f.write("keep.log", b"");
    f.write("secret.env", b"");
    f.write(".env", b"");
    f.write("Zeta.txt", b"");
    f.write("alpha.txt", b"");
    f.write("file10.txt", b"");
    f.write("file2.txt", b"");
    f.write("Docs/readme.md", b"");
    f
}

#[test]
fn folders_first_natural_case_insensitive_order_and_git_hidden() {
    let f = project();
    let all = f
        .root
        .list_dir(
            &RelPath::root(),
            &ListOptions {
                show_hidden: true,
                show_ignored: true,
            },
        )
        .unwrap();
    assert_eq!(
        names(&all),
        [
            "Docs",
            "src",
            "target",
            ".env",
            ".gitignore",
            "alpha.txt",
            "b.log",
            "file2.txt",
            "file10.txt",
            "keep.log",
            "secret.env",
            "Zeta.txt"
        ],
        ".git never listed, even with everything shown"
    );
    let e = |n: &str| all.iter().find(|e| e.name == n).unwrap();
    assert!(e("target").ignored && e("b.log").ignored && e("secret.env").ignored);
    assert!(!e("keep.log").ignored, "negation re-includes");
    assert!(e(".env").hidden && !e(".env").ignored);
    assert_eq!(e("src").kind, EntryKind::Dir);
    assert_eq!(e("src").path, rel("src"));
}

#[test]
fn ignored_and_hidden_entries_follow_the_options() {
    let f = project();
    let plain = f
        .root
        .list_dir(&RelPath::root(), &ListOptions::default())
        .unwrap();
    assert_eq!(
        names(&plain),
        [
            "Docs",
            "src",
            "alpha.txt",
            "file2.txt",
            "file10.txt",
            "keep.log",
            "Zeta.txt"
        ]
    );
    let hidden = f
        .root
        .list_dir(
            &RelPath::root(),
            &ListOptions {
                show_hidden: true,
                show_ignored: false,
            },
        )
        .unwrap();
    assert!(names(&hidden).contains(&".env") && !names(&hidden).contains(&"b.log"));
    // Nested ignore files and the parents' rules both apply one level down.
    let src = f
        .root
        .list_dir(
            &rel("src"),
            &ListOptions {
                show_hidden: false,
                show_ignored: true,
            },
        )
        .unwrap();
    let generated = src.iter().find(|e| e.name == "generated.rs").unwrap();
    assert!(generated.ignored);
    let nested = f
        .root
        .list_dir(&rel("src/nested"), &ListOptions::default())
        .unwrap();
    assert_eq!(names(&nested), ["file.rs"]);
    // Inside an ignored folder everything is ignored.
    let inside = f
        .root
        .list_dir(
            &rel("target/debug"),
            &ListOptions {
                show_hidden: false,
                show_ignored: true,
            },
        )
        .unwrap();
    assert!(inside.iter().all(|e| e.ignored) && inside.len() == 1);
}

#[test]
fn walk_files_honors_ignores_and_never_enters_git() {
    let f = project();
    let files = f.root.walk_files(&WalkOptions::default()).unwrap();
    let got: Vec<&str> = files.iter().map(|p| p.as_str()).collect();
    assert_eq!(
        got,
        [
            "Docs/readme.md",
            "Zeta.txt",
            "alpha.txt",
            "file10.txt",
            "file2.txt",
            "keep.log",
            "src/main.rs",
            "src/nested/file.rs"
        ]
    );
    let all = f
        .root
        .walk_files(&WalkOptions {
            show_hidden: true,
            include_ignored: true,
            max_files: None,
        })
        .unwrap();
    assert!(all.iter().any(|p| p.as_str() == "target/debug/app"));
    assert!(all.iter().any(|p| p.as_str() == ".env"));
    assert!(all.iter().all(|p| !p.as_str().starts_with(".git/")));
    let capped = f
        .root
        .walk_files(&WalkOptions {
            max_files: Some(3),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(capped.len(), 3);
}

#[test]
fn a_folder_with_100k_entries_lists_in_one_call() {
    let f = Fixture::new();
    let dir = f.p("many");
    std::fs::create_dir(&dir).unwrap();
    for i in 0..100_000 {
        std::fs::File::create(dir.join(format!("f{i}.txt"))).unwrap();
    }
    let t0 = Instant::now();
    let entries = f
        .root
        .list_dir(&rel("many"), &ListOptions::default())
        .unwrap();
    let took = t0.elapsed();
    eprintln!("list_dir of 100_000 entries took {took:?}");
    assert_eq!(entries.len(), 100_000);
    assert_eq!(entries[0].name, "f0.txt");
    assert_eq!(entries[1].name, "f1.txt");
    assert_eq!(entries[99_999].name, "f99999.txt");
    assert!(took.as_secs() < 30, "sanity bound");
    let t0 = Instant::now();
    let walked = f.root.walk_files(&WalkOptions::default()).unwrap();
    eprintln!("walk_files of 100_000 files took {:?}", t0.elapsed());
    assert_eq!(walked.len(), 100_000);
}

#[test]
fn gitignore_applies_without_a_git_folder() {
    let f = Fixture::new();
    f.write(".gitignore", b"build/\n");
    f.write("build/out.o", b"");
    f.write("src.c", b"");
    let listed = f
        .root
        .list_dir(&RelPath::root(), &ListOptions::default())
        .unwrap();
    assert_eq!(names(&listed), ["src.c"]);
    let walked = f.root.walk_files(&WalkOptions::default()).unwrap();
    assert_eq!(walked, [rel("src.c")]);
    // Control: with ignored entries shown, the folder is there and flagged.
    let shown = ListOptions {
        show_hidden: false,
        show_ignored: true,
    };
    let listed = f.root.list_dir(&RelPath::root(), &shown).unwrap();
    assert_eq!(names(&listed), ["build", "src.c"]);
    assert!(listed[0].ignored && !listed[1].ignored);
}
