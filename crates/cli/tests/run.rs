//! `aura run` and `aura sandbox probe` as a shell user runs them: the program's output and
//! exit status pass through, the sandbox is on by default and says so, limits apply.

#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

use aura_testkit::TestHome;

fn aura(home: &TestHome, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aura"))
        .envs(home.env())
        .env_remove("AURA_LOG")
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn run_passes_output_and_exit_status_through() {
    let home = TestHome::new();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.sh");
    std::fs::write(&f, "echo to-out; echo to-err >&2; exit 3\n").unwrap();
    let o = aura(&home, &["run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "to-out\n");
    let err = text(&o.stderr);
    assert!(err.starts_with("to-err\n"), "{err}");
    assert!(err.contains("aura: exit 3 after"), "{err}");

    let o = aura(&home, &["--json", "run", f.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["outcome"]["exitCode"], 3);
    assert_eq!(v["stdout"], "to-out\n");
    assert_eq!(v["stderr"], "to-err\n");
    assert!(
        v["run"]["command"].as_str().unwrap().starts_with("bash "),
        "{v}"
    );
}

#[test]
fn run_is_sandboxed_by_default_and_the_timeout_kills() {
    let home = TestHome::new();
    let probe = aura(&home, &["--json", "sandbox", "probe"]);
    let p: serde_json::Value = serde_json::from_slice(&probe.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("x");
    let f = dir.path().join("w.sh");
    std::fs::write(&f, format!("echo hi > {}\n", target.display())).unwrap();
    let o = aura(&home, &["--json", "run", f.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    if p["level"] == "full" {
        assert_ne!(v["outcome"]["exitCode"], 0, "{v}");
        assert!(!target.exists(), "wrote outside the project: {v}");
        assert_eq!(v["run"]["sandbox"], p["summary"]);
        // Control: --no-sandbox writes it.
        let o = aura(&home, &["run", "--no-sandbox", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert!(target.exists());
    } else {
        // Without a full sandbox the run is refused, never silently unsandboxed.
        assert!(
            text(&o.stdout).contains("SandboxUnavailable"),
            "{}",
            text(&o.stdout)
        );
    }
    let s = dir.path().join("sleep.sh");
    std::fs::write(&s, "sleep 30\n").unwrap();
    let started = std::time::Instant::now();
    let o = aura(
        &home,
        &[
            "run",
            "--allow-partial",
            "--timeout",
            "1",
            s.to_str().unwrap(),
        ],
    );
    assert!(started.elapsed().as_secs() < 10);
    assert!(
        text(&o.stderr).contains("(wall-clock limit)"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(128 + 9));
}

#[test]
fn probe_prints_the_layers() {
    let home = TestHome::new();
    let o = aura(&home, &["sandbox", "probe"]);
    let out = text(&o.stdout);
    assert!(
        out.starts_with("Sandbox: ")
            || out.starts_with("Partial: ")
            || out.starts_with("No sandbox"),
        "{out}"
    );
    assert!(
        out.contains("landlock:") && out.contains("seccomp:") && out.contains("bwrap:"),
        "{out}"
    );
}

#[test]
fn run_refuses_a_missing_file_and_an_unknown_language() {
    let home = TestHome::new();
    let dir = tempfile::tempdir().unwrap();
    let o = aura(
        &home,
        &["run", dir.path().join("nope.py").to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("aura: NotFound:"),
        "{}",
        text(&o.stderr)
    );
    let f = dir.path().join("x.cob");
    std::fs::write(&f, "").unwrap();
    let o = aura(&home, &["run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("does not know how to run"),
        "{}",
        text(&o.stderr)
    );
}
