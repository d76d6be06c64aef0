//! Terminals and runs through the app layer, as the Terminal and Run panels use them.
//!
//! This binary is its own sandbox helper, like `aura` and `aura-desktop`: `main` enters
//! the helper mode before anything else, so it has its own small test harness
//! (libtest-mimic, which speaks libtest's command line, so nextest runs it as usual).

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use aura_app::App;
use aura_app::exec::{
    PtyExit, PtyOpen, PtySink, RunEvent, RunOutcome, RunRequest, RunStream, RunTarget,
    SandboxLevel, SandboxMode,
};
use aura_core::ErrorCode;
use aura_core::settings::{ProjectExec, RunConfiguration};
use aura_testkit::{TempProject, TestHome};
use libtest_mimic::{Arguments, Trial};

fn main() {
    aura_app::exec::run_sandbox_helper_if_requested();
    let args = Arguments::from_args();
    let tests: Vec<(&str, fn())> = vec![
        (
            "terminal_runs_the_shell_in_the_project_folder",
            terminal_runs_the_shell_in_the_project_folder,
        ),
        (
            "terminal_shell_comes_from_settings",
            terminal_shell_comes_from_settings,
        ),
        (
            "terminal_bad_input_is_refused",
            terminal_bad_input_is_refused,
        ),
        (
            "run_file_by_language_with_overrides",
            run_file_by_language_with_overrides,
        ),
        (
            "run_selection_and_configuration",
            run_selection_and_configuration,
        ),
        ("stop_ends_a_long_run", stop_ends_a_long_run),
        (
            "network_is_a_per_project_switch",
            network_is_a_per_project_switch,
        ),
        ("run_bad_input_is_refused", run_bad_input_is_refused),
        (
            "shutdown_ends_every_terminal_and_run",
            shutdown_ends_every_terminal_and_run,
        ),
        ("probe_names_the_layers", probe_names_the_layers),
    ];
    let trials = tests
        .into_iter()
        .map(|(name, f)| {
            Trial::test(name, move || {
                f();
                Ok(())
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

struct Setup {
    _home: TestHome,
    project: TempProject,
    app: App,
    id: String,
}

fn setup(files: &[(&str, &str)]) -> Setup {
    let home = TestHome::new();
    let project = TempProject::with_files(files);
    let app = App::start(home.dirs()).unwrap();
    let id = app.project_open(project.path()).unwrap().id;
    Setup {
        _home: home,
        project,
        app,
        id,
    }
}

// ---- terminals ----

/// The terminal's output so far and its exit.
type Screen = (Vec<u8>, Option<PtyExit>);

#[derive(Clone, Default)]
struct Term(Arc<(Mutex<Screen>, Condvar)>);

impl PtySink for Term {
    fn output(&mut self, bytes: Vec<u8>) {
        let (m, cv) = &*self.0;
        m.lock().unwrap().0.extend_from_slice(&bytes);
        cv.notify_all();
    }
    fn exit(&mut self, exit: PtyExit) {
        let (m, cv) = &*self.0;
        m.lock().unwrap().1 = Some(exit);
        cv.notify_all();
    }
}

impl Term {
    fn wait_for(&self, needle: &str) -> String {
        let (m, cv) = &*self.0;
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut g = m.lock().unwrap();
        loop {
            let text = String::from_utf8_lossy(&g.0).into_owned();
            if text.contains(needle) {
                return text;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no {needle:?} in {text:?}");
            g = cv.wait_timeout(g, left).unwrap().0;
        }
    }
    fn wait_exit(&self) -> PtyExit {
        let (m, cv) = &*self.0;
        let g = m.lock().unwrap();
        let (g, _) = cv
            .wait_timeout_while(g, Duration::from_secs(10), |g| g.1.is_none())
            .unwrap();
        g.1.clone().expect("the terminal reported its exit")
    }
}

const OPEN: PtyOpen = PtyOpen {
    cols: 80,
    rows: 24,
    sandboxed: false,
    allow_partial: false,
};

fn terminal_runs_the_shell_in_the_project_folder() {
    let s = setup(&[("a.txt", "x")]);
    let term = Term::default();
    let info = s.app.pty_open(&s.id, &OPEN, term.clone()).unwrap();
    // The arithmetic keeps the echo of the typed line from matching.
    s.app
        .pty_write(&info.id, b"echo \"dir=$(pwd) term=$TERM n=$((6*7))\"\n")
        .unwrap();
    let root = s.project.path().canonicalize().unwrap();
    term.wait_for(&format!("dir={} term=xterm-256color n=42", root.display()));
    assert_eq!(s.app.pty_list(&s.id).unwrap(), vec![info.clone()]);
    let renamed = s.app.pty_rename(&info.id, "build").unwrap();
    assert_eq!(renamed.title, "build");
    s.app.pty_resize(&info.id, 120, 40).unwrap();
    s.app.pty_write(&info.id, b"stty size\n").unwrap();
    term.wait_for("40 120");
    s.app.pty_write(&info.id, b"exit 7\n").unwrap();
    assert_eq!(term.wait_exit().exit_code, 7);
    assert_eq!(s.app.pty_exit(&info.id).unwrap().unwrap().exit_code, 7);
    s.app.pty_close(&info.id).unwrap();
    assert!(s.app.pty_list(&s.id).unwrap().is_empty());
}

fn terminal_shell_comes_from_settings() {
    let s = setup(&[]);
    let mut settings = s.app.settings();
    settings.terminal.shell = "/bin/sh".into();
    s.app.set_settings(settings.clone()).unwrap();
    let term = Term::default();
    let info = s.app.pty_open(&s.id, &OPEN, term.clone()).unwrap();
    assert_eq!(info.shell, "/bin/sh");
    s.app.pty_close(&info.id).unwrap();
    settings.terminal.shell = "no-such-shell-aura".into();
    s.app.set_settings(settings).unwrap();
    let e = s.app.pty_open(&s.id, &OPEN, Term::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound, "{e:?}");
}

fn terminal_bad_input_is_refused() {
    let s = setup(&[]);
    assert_eq!(
        s.app.pty_write("nope", b"x").unwrap_err().code,
        ErrorCode::NotFound
    );
    let bad = PtyOpen { cols: 0, ..OPEN };
    assert_eq!(
        s.app
            .pty_open(&s.id, &bad, Term::default())
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    let info = s.app.pty_open(&s.id, &OPEN, Term::default()).unwrap();
    assert_eq!(
        s.app.pty_resize(&info.id, 5000, 5).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        s.app.pty_rename(&info.id, "  ").unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        s.app
            .pty_write(&info.id, &vec![b'a'; 2 << 20])
            .unwrap_err()
            .code,
        ErrorCode::TooLarge
    );
    s.app.pty_close(&info.id).unwrap();
    assert_eq!(
        s.app.pty_close(&info.id).unwrap_err().code,
        ErrorCode::NotFound
    );
}

// ---- runs ----

#[derive(Default)]
struct Ran {
    out: String,
    err: String,
    outcome: Option<RunOutcome>,
}

fn run(app: &App, id: &str, req: &RunRequest) -> aura_core::Result<Ran> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut ran = Ran::default();
    let shared = Arc::new(Mutex::new(Vec::new()));
    let events = Arc::clone(&shared);
    app.run_start(id, req, move |ev| {
        let last = matches!(ev, RunEvent::Exit { .. });
        events.lock().unwrap().push(ev);
        if last {
            let _ = tx.send(());
        }
    })?;
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the run ended");
    for ev in shared.lock().unwrap().drain(..) {
        match ev {
            RunEvent::Output {
                stream: RunStream::Stdout,
                text,
            } => ran.out.push_str(&text),
            RunEvent::Output {
                stream: RunStream::Stderr,
                text,
            } => ran.err.push_str(&text),
            RunEvent::Exit { outcome } => ran.outcome = Some(outcome),
        }
    }
    Ok(ran)
}

/// Sandboxed when the machine can, else with the user's consent to a partial one.
fn mode(app: &App) -> SandboxMode {
    if app.sandbox_probe().level == SandboxLevel::Full {
        SandboxMode::Require
    } else {
        SandboxMode::AllowPartial
    }
}

fn file(app: &App, path: &str) -> RunRequest {
    RunRequest {
        mode: mode(app),
        ..RunRequest::file(path)
    }
}

fn run_file_by_language_with_overrides() {
    let s = setup(&[
        (
            "hi.py",
            "import sys\nprint('py out')\nprint('py err', file=sys.stderr)\nsys.exit(4)\n",
        ),
        ("hi.sh", "echo sh $((1+1))\n"),
    ]);
    let r = run(&s.app, &s.id, &file(&s.app, "hi.py")).unwrap();
    assert_eq!((r.out.as_str(), r.err.as_str()), ("py out\n", "py err\n"));
    let o = r.outcome.unwrap();
    assert_eq!(o.exit_code, Some(4));
    assert!(o.wall_ms > 0.0 && o.peak_rss_kb > 0.0, "{o:?}");
    assert_eq!(
        run(&s.app, &s.id, &file(&s.app, "hi.sh")).unwrap().out,
        "sh 2\n"
    );

    // The user's command for Python, then the project's over it.
    let mut settings = s.app.settings();
    settings.run.python = "echo user {stem}".into();
    s.app.set_settings(settings).unwrap();
    assert_eq!(
        run(&s.app, &s.id, &file(&s.app, "hi.py")).unwrap().out,
        "user hi\n"
    );
    let mut exec = ProjectExec::default();
    exec.commands
        .insert("python".into(), "echo project {stem}".into());
    s.app.exec_project_settings_set(&s.id, &exec).unwrap();
    assert_eq!(
        run(&s.app, &s.id, &file(&s.app, "hi.py")).unwrap().out,
        "project hi\n"
    );
}

fn run_selection_and_configuration() {
    let s = setup(&[("sub/keep.txt", "")]);
    let sel = RunRequest {
        target: RunTarget::Selection {
            language: "python".into(),
            text: "print(6 * 7)".into(),
        },
        ..file(&s.app, "unused")
    };
    let r = run(&s.app, &s.id, &sel).unwrap();
    assert_eq!(r.out, "42\n", "{}", r.err);
    // The selection ran from the private temp dir: nothing new in the project.
    assert!(!s.project.path().join("selection.py").exists());

    let exec = ProjectExec {
        configurations: vec![RunConfiguration {
            name: "where".into(),
            command: "pwd; echo $((2+3))".into(),
            cwd: "sub".into(),
            sandbox: true,
        }],
        ..ProjectExec::default()
    };
    s.app.exec_project_settings_set(&s.id, &exec).unwrap();
    assert_eq!(s.app.exec_project_settings(&s.id).unwrap(), exec);
    let cfg = RunRequest {
        target: RunTarget::Configuration {
            name: "where".into(),
        },
        ..file(&s.app, "unused")
    };
    let r = run(&s.app, &s.id, &cfg).unwrap();
    let sub = s.project.path().canonicalize().unwrap().join("sub");
    assert_eq!(r.out, format!("{}\n5\n", sub.display()), "{}", r.err);
    let missing = RunRequest {
        target: RunTarget::Configuration {
            name: "nope".into(),
        },
        ..file(&s.app, "unused")
    };
    assert_eq!(
        run(&s.app, &s.id, &missing).err().unwrap().code,
        ErrorCode::NotFound
    );
}

fn stop_ends_a_long_run() {
    let s = setup(&[("long.sh", "echo started; sleep 30 & sleep 30\n")]);
    let (tx, rx) = std::sync::mpsc::channel();
    let started = Arc::new((Mutex::new(false), Condvar::new()));
    let st = Arc::clone(&started);
    let info = s
        .app
        .run_start(&s.id, &file(&s.app, "long.sh"), move |ev| match ev {
            RunEvent::Output { .. } => {
                *st.0.lock().unwrap() = true;
                st.1.notify_all();
            }
            RunEvent::Exit { outcome } => {
                let _ = tx.send(outcome);
            }
        })
        .unwrap();
    let g = started.0.lock().unwrap();
    drop(
        started
            .1
            .wait_timeout_while(g, Duration::from_secs(10), |s| !*s)
            .unwrap(),
    );
    assert_eq!(s.app.run_list(), vec![info.id.clone()]);
    let t = Instant::now();
    s.app.run_stop(&info.id).unwrap();
    let outcome = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("stopped within 5 s");
    assert!(outcome.stopped, "{outcome:?}");
    assert!(outcome.signal.is_some(), "{outcome:?}");
    assert!(t.elapsed() < Duration::from_secs(3));
    assert!(s.app.run_list().is_empty());
    assert_eq!(
        s.app.run_stop(&info.id).unwrap_err().code,
        ErrorCode::NotFound
    );
}

fn network_is_a_per_project_switch() {
    let s = setup(&[]);
    if !s.app.sandbox_probe().seccomp {
        let req = std::env::var("AURA_SANDBOX_REQUIRE").unwrap_or_default();
        assert!(!req.contains("seccomp"), "seccomp required but missing");
        eprintln!("SKIPPED network switch: no seccomp here");
        return;
    }
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    s.project.write(
        "net.py",
        &format!("import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=5).close(); print('connected')\nexcept OSError as e:\n    print('errno', e.errno)\n"),
    );
    assert_eq!(
        run(&s.app, &s.id, &file(&s.app, "net.py")).unwrap().out,
        "errno 1\n"
    );
    let exec = ProjectExec {
        allow_net: true,
        ..ProjectExec::default()
    };
    s.app.exec_project_settings_set(&s.id, &exec).unwrap();
    assert_eq!(
        run(&s.app, &s.id, &file(&s.app, "net.py")).unwrap().out,
        "connected\n"
    );
}

fn run_bad_input_is_refused() {
    let s = setup(&[("a.cob", "")]);
    let code = |req: RunRequest| run(&s.app, &s.id, &req).err().map(|e| e.code);
    assert_eq!(
        code(file(&s.app, "../etc/passwd")),
        Some(ErrorCode::OutsideProject)
    );
    assert_eq!(code(file(&s.app, "missing.py")), Some(ErrorCode::NotFound));
    assert_eq!(code(file(&s.app, "a.cob")), Some(ErrorCode::NotFound));
    let empty = RunRequest {
        target: RunTarget::Selection {
            language: "python".into(),
            text: "  ".into(),
        },
        ..file(&s.app, "x")
    };
    assert_eq!(code(empty), Some(ErrorCode::InvalidInput));
    let bad = ProjectExec {
        commands: [("python".to_owned(), "python3 {fiel}".to_owned())].into(),
        ..ProjectExec::default()
    };
    assert_eq!(
        s.app
            .exec_project_settings_set(&s.id, &bad)
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        s.app.exec_project_settings(&s.id).unwrap(),
        ProjectExec::default()
    );
}

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| !s[s.rfind(')').unwrap() + 1..].trim_start().starts_with('Z'))
}

fn shutdown_ends_every_terminal_and_run() {
    let s = setup(&[("long.sh", "sleep 60\n")]);
    let term = Term::default();
    let info = s.app.pty_open(&s.id, &OPEN, term.clone()).unwrap();
    s.app
        .pty_write(&info.id, b"sleep 1000 & echo bg=$((1+1))-$!-x\n")
        .unwrap();
    let text = term.wait_for("bg=2-");
    let text = if text[text.find("bg=2-").unwrap()..].contains("-x") {
        text
    } else {
        term.wait_for("-x\r")
    };
    let at = text.find("bg=2-").unwrap() + 5;
    let pid: i32 = text[at..].split('-').next().unwrap().parse().unwrap();
    assert!(alive(pid));
    let (tx, rx) = std::sync::mpsc::channel();
    s.app
        .run_start(&s.id, &file(&s.app, "long.sh"), move |ev| {
            if let RunEvent::Exit { outcome } = ev {
                let _ = tx.send(outcome);
            }
        })
        .unwrap();
    s.app.exec_shutdown();
    let outcome = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the run ended at shutdown");
    assert!(outcome.stopped);
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(pid), "the terminal's job outlived the app");
    assert!(s.app.pty_list(&s.id).unwrap().is_empty());
}

fn probe_names_the_layers() {
    let s = setup(&[]);
    let p = s.app.sandbox_probe();
    let req = std::env::var("AURA_SANDBOX_REQUIRE").unwrap_or_default();
    assert!(p.missing_required(&req).is_empty(), "{req}: {p:?}");
    match p.level {
        SandboxLevel::Full => assert!(p.summary.starts_with("Sandbox: "), "{}", p.summary),
        SandboxLevel::Partial => assert!(p.summary.starts_with("Partial: "), "{}", p.summary),
        SandboxLevel::None => assert!(p.summary.starts_with("No sandbox"), "{}", p.summary),
    }
    // A run that needs the full sandbox is refused where it is partial, never run bare.
    if p.level != SandboxLevel::Full {
        s.project.write("a.sh", "true\n");
        let e = run(&s.app, &s.id, &RunRequest::file("a.sh")).err().unwrap();
        assert_eq!(e.code, ErrorCode::SandboxUnavailable);
    }
}
