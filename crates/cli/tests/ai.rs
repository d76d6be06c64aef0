//! `aura ask`, `aura edit` and `aura ai ...` as a shell user runs them, against the local
//! test provider (a real HTTP server speaking OpenAI's streaming format).

#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

use aura_testkit::provider::{ProviderServer, Reply, StreamReply};
use aura_testkit::{TempProject, TestHome};

fn aura(home: &TestHome, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aura"))
        .envs(home.env())
        .env_remove("AURA_LOG")
        .args(args)
        .output()
        .unwrap()
}

fn settings(home: &TestHome, server: Option<&ProviderServer>) {
    let provider = server.map_or(String::new(), |s| {
        format!(
            "\n[[ai.providers]]\nid = \"local\"\nkind = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"test-model\"\n",
            s.url()
        )
    });
    let dirs = home.dirs();
    std::fs::create_dir_all(&dirs.config).unwrap();
    std::fs::write(
        dirs.settings_file(),
        format!("[ai]\ndetect_local = false\nmax_retries = 0\n{provider}"),
    )
    .unwrap();
}

fn out(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn ask_streams_the_answer_and_edit_applies_the_diff() {
    let home = TestHome::new();
    let server = ProviderServer::start();
    settings(&home, Some(&server));
    let p = TempProject::with_files(&[("calc.py", "def add(a, b):\n    return a+b\n")]);
    let dir = p.path().to_str().unwrap();

    server.push(Reply::Stream(StreamReply::text(&["It ", "adds."])));
    let o = aura(&home, &["-p", dir, "ask", "what does @calc.py do?"]);
    let (stdout, stderr) = out(&o);
    assert!(o.status.success(), "{stderr}");
    assert_eq!(stdout.trim(), "It adds.");
    assert!(stderr.contains("context: calc.py:1-2"), "{stderr}");
    assert!(stderr.contains("local / test-model"), "{stderr}");
    let sent = server.requests()[0].json();
    assert!(sent["messages"].to_string().contains("return a+b"));

    let new = "def add(a: int, b: int) -> int:\n    return a+b\n";
    server.push(Reply::text(&format!("```python\n{new}```")));
    let o = aura(&home, &["-p", dir, "edit", "calc.py", "add types"]);
    let (stdout, stderr) = out(&o);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stdout.contains("-def add(a, b):") && stdout.contains("+def add(a: int, b: int) -> int:"),
        "{stdout}"
    );
    assert!(stderr.contains("preview only"), "{stderr}");
    assert_eq!(
        p.read("calc.py"),
        "def add(a, b):\n    return a+b\n",
        "a preview writes nothing"
    );

    server.push(Reply::text(&format!("```python\n{new}```")));
    let o = aura(
        &home,
        &["-p", dir, "edit", "calc.py", "add types", "--apply"],
    );
    assert!(o.status.success(), "{}", out(&o).1);
    assert_eq!(p.read("calc.py"), new);

    let o = aura(&home, &["-p", dir, "--json", "ai", "usage"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["totalCalls"], 3);
    let o = aura(&home, &["ai", "providers"]);
    let (stdout, _) = out(&o);
    assert!(
        stdout.contains("local") && stdout.contains("no key needed"),
        "{stdout}"
    );
    let o = aura(&home, &["--json", "ai", "health"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["ok"], true, "{v}");
}

#[test]
fn without_a_provider_ask_fails_clearly() {
    let home = TestHome::new();
    settings(&home, None);
    let p = TempProject::with_files(&[("a.txt", "x\n")]);
    let o = aura(&home, &["-p", p.path().to_str().unwrap(), "ask", "hello?"]);
    assert_eq!(o.status.code(), Some(1));
    let (_, stderr) = out(&o);
    assert!(
        stderr.starts_with("aura: ProviderUnavailable: No AI provider"),
        "{stderr}"
    );
    let o = aura(
        &home,
        &[
            "-p",
            p.path().to_str().unwrap(),
            "edit",
            "a.txt",
            "--action",
            "nonsense",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).1.contains("unknown action"), "{}", out(&o).1);
}
