//! The `aura` binary as a shell user runs it: exit codes, messages, `--json`.

// Test helpers outside #[test] fns panic on broken fixtures, which is what a test wants.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use aura_testkit::{TempProject, TestHome};

fn aura(home: &TestHome) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_aura"));
    c.envs(home.env());
    c.env_remove("AURA_LOG");
    c
}

fn run(home: &TestHome, args: &[&str]) -> Output {
    aura(home).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn project_lifecycle_with_json() {
    let home = TestHome::new();
    let loc = tempfile::tempdir().unwrap();
    let loc_s = loc.path().to_str().unwrap();
    let o = run(
        &home,
        &[
            "--json", "project", "new", "hello", "-t", "python", "-l", loc_s,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let created: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(created["name"], "hello");
    assert_eq!(created["language"], "python");
    assert!(loc.path().join("hello/main.py").is_file());

    let o = run(&home, &["--json", "project", "list"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    let id = created["id"].as_str().unwrap();
    let o = run(&home, &["project", "forget", id]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        loc.path().join("hello/main.py").is_file(),
        "forget must leave files alone"
    );
    let o = run(&home, &["--json", "project", "list"]);
    assert_eq!(stdout(&o).trim(), "[]");
}

#[test]
fn errors_have_code_message_and_exit_status() {
    let home = TestHome::new();
    let proj = TempProject::with_files(&[("a.txt", "a")]);
    let p = proj.path().to_str().unwrap();
    let o = run(&home, &["-p", p, "fs", "cat", "../outside"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("aura: OutsideProject:"),
        "{}",
        stderr(&o)
    );

    let o = run(&home, &["--json", "-p", p, "fs", "cat", "missing.txt"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["error"]["code"], "NotFound");

    let o = run(&home, &["project", "frobnicate"]);
    assert_eq!(o.status.code(), Some(2), "usage errors exit with 2");

    let o = run(&home, &["project", "forget", "/definitely/not/here"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn fs_write_cat_mv_rm() {
    let home = TestHome::new();
    let proj = TempProject::with_files(&[("keep.txt", "original")]);
    let p = proj.path().to_str().unwrap();
    let write = |path: &str, text: &str, force: bool| {
        let mut args = vec!["-p", p, "fs", "write", path];
        if force {
            args.push("--force");
        }
        let mut child = aura(&home)
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    assert!(write("new.txt", "fresh\n", false).status.success());
    assert_eq!(proj.read("new.txt"), "fresh\n");
    // An existing file is not replaced without --force.
    let o = write("keep.txt", "clobber", false);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(proj.read("keep.txt"), "original");
    assert!(write("keep.txt", "replaced", true).status.success());
    assert_eq!(proj.read("keep.txt"), "replaced");

    assert_eq!(
        stdout(&run(&home, &["-p", p, "fs", "cat", "new.txt"])),
        "fresh\n"
    );
    assert!(
        run(&home, &["-p", p, "fs", "mkdir", "d/e"])
            .status
            .success()
    );
    assert!(
        run(&home, &["-p", p, "fs", "mv", "new.txt", "d/e/moved.txt"])
            .status
            .success()
    );
    assert_eq!(proj.read("d/e/moved.txt"), "fresh\n");
    let ls = stdout(&run(&home, &["-p", p, "fs", "ls"]));
    assert_eq!(ls.lines().collect::<Vec<_>>(), ["d/", "keep.txt"]);
    assert!(
        run(&home, &["-p", p, "fs", "rm", "--permanent", "d"])
            .status
            .success()
    );
    assert!(!proj.file("d").exists());
}

#[test]
fn watch_prints_external_changes() {
    let home = TestHome::new();
    let proj = TempProject::new();
    let mut child = aura(&home)
        .args(["-p", proj.path().to_str().unwrap(), "watch"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it says it is watching before changing anything.
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert!(line.starts_with("watching "), "{line}");
    proj.write("seen.txt", "x");
    let out = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in out.lines().map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut got = Vec::new();
    while let Ok(l) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        let done = l.contains("seen.txt");
        got.push(l);
        if done {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        got.iter()
            .any(|l| l == "created seen.txt" || l == "modified seen.txt"),
        "{got:?}"
    );
}
