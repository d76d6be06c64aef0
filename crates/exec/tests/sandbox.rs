//! The sandbox against real programs, as an unprivileged uid. Every denial is paired with a
//! control run that has the responsible layer off and succeeds, and the errno says which
//! layer denied (EACCES = Landlock, EPERM = seccomp). A layer missing here skips loudly;
//! `AURA_SANDBOX_REQUIRE` turns that into a failure.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use aura_exec::sandbox::{Layers, SandboxLevel};
use common::{Env, need, try_py, without};

const EACCES: &str = "errno=13";
const EPERM: &str = "errno=1";

fn env_or_skip(test: &str) -> Option<Env> {
    let env = Env::new();
    if env.is_none() {
        let required = std::env::var("AURA_SANDBOX_REQUIRE").unwrap_or_default();
        assert!(
            required.is_empty(),
            "{test}: running as root without setpriv, cannot drop to an ordinary uid"
        );
        eprintln!("SKIPPED {test}: root without setpriv, no unprivileged uid to test as");
    }
    env
}

#[test]
fn probe_reports_the_layers_ci_requires() {
    let Some(env) = env_or_skip("probe") else {
        return;
    };
    let probe = env.sandbox.probe();
    eprintln!("probe: {probe:#?}");
    let required = std::env::var("AURA_SANDBOX_REQUIRE").unwrap_or_default();
    let missing = probe.missing_required(&required);
    assert!(
        missing.is_empty(),
        "AURA_SANDBOX_REQUIRE={required} but missing {missing:?}: {probe:?}"
    );
    if probe.level == SandboxLevel::Full {
        assert!(
            probe.summary.starts_with("Sandbox: Landlock "),
            "{}",
            probe.summary
        );
        assert!(probe.summary.contains("seccomp"), "{}", probe.summary);
    } else {
        assert!(probe.summary.starts_with("Partial") || probe.summary.starts_with("No sandbox"));
    }
    // The names CI may require are exactly the ones the probe knows.
    for l in ["landlock", "seccomp", "rlimits", "bwrap"] {
        assert!(probe.has(l).is_some());
    }
    assert!(probe.has("selinux").is_none());
}

#[test]
fn normal_programs_work_inside() {
    let Some(env) = env_or_skip("normal") else {
        return;
    };
    let policy = env.policy();
    let code = "import sys\nprint('hello')\nopen('made.txt','w').write('in project')\nline=sys.stdin.readline().strip()\nprint('read:'+line)\nsys.exit(3)\n";
    let r = env.run(
        Layers::ALL,
        &policy,
        &[common::PY, "-c", code],
        Some("from stdin\n"),
    );
    assert_eq!(r.code(), Some(3), "{r:?}");
    assert_eq!(r.out, "hello\nread:from stdin\n", "{r:?}");
    let made = std::fs::read_to_string(env.project.path().join("made.txt")).unwrap();
    assert_eq!(made, "in project");
    // The private temp dir is the program's TMPDIR and writable.
    let r = env.run(
        Layers::ALL,
        &policy,
        &[
            "/bin/sh",
            "-c",
            "echo t > \"$TMPDIR/x\" && cat \"$TMPDIR/x\"",
        ],
        None,
    );
    assert_eq!((r.code(), r.out.as_str()), (Some(0), "t\n"), "{r:?}");
}

#[test]
fn writing_outside_the_project_is_denied_by_landlock() {
    let Some(env) = env_or_skip("write outside") else {
        return;
    };
    if !need(env.sandbox.probe(), "landlock", "write outside") {
        return;
    }
    let target = env.outside.path().join("escaped.txt");
    let code = try_py(&format!(
        "open({:?}, 'w').write('x')",
        target.display().to_string()
    ));
    let denied = env.py(Layers::ALL, &env.policy(), &code);
    assert_eq!(denied.out.trim(), EACCES, "{denied:?}");
    assert!(!target.exists());
    let control = env.py(without(&["landlock"]), &env.policy(), &code);
    assert_eq!(control.out.trim(), "ok", "{control:?}");
    assert!(target.exists());
}

#[test]
fn reading_a_fake_ssh_key_is_denied_by_landlock() {
    let Some(env) = env_or_skip("ssh key") else {
        return;
    };
    if !need(env.sandbox.probe(), "landlock", "ssh key") {
        return;
    }
    let ssh = env.outside.path().join("home/.ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    let key = ssh.join("id_rsa");
    std::fs::write(&key, "-----BEGIN FAKE KEY-----\n").unwrap();
    for p in [env.outside.path().join("home"), ssh.clone()] {
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    }
    let code = try_py(&format!(
        "print(open({:?}).read().strip())",
        key.display().to_string()
    ));
    let denied = env.py(Layers::ALL, &env.policy(), &code);
    assert_eq!(denied.out.trim(), EACCES, "{denied:?}");
    let control = env.py(without(&["landlock"]), &env.policy(), &code);
    assert_eq!(control.out, "-----BEGIN FAKE KEY-----\nok\n", "{control:?}");
}

#[test]
fn a_symlink_in_the_project_to_a_secret_is_denied() {
    let Some(env) = env_or_skip("symlink") else {
        return;
    };
    if !need(env.sandbox.probe(), "landlock", "symlink") {
        return;
    }
    let secret = env.outside.path().join("secret.txt");
    std::fs::write(&secret, "top secret").unwrap();
    std::os::unix::fs::symlink(&secret, env.project.path().join("link.txt")).unwrap();
    let code = try_py("print(open('link.txt').read())");
    let denied = env.py(Layers::ALL, &env.policy(), &code);
    assert_eq!(denied.out.trim(), EACCES, "{denied:?}");
    let control = env.py(without(&["landlock"]), &env.policy(), &code);
    assert_eq!(control.out, "top secret\nok\n", "{control:?}");
}

/// A TCP listener and a UDP socket on 127.0.0.1 in the test process; the program tries
/// both and prints one result per line.
fn net_code(tcp: u16, udp: u16) -> String {
    format!(
        "import socket\nfor kind, port in (('tcp', {tcp}), ('udp', {udp})):\n    try:\n        if kind == 'tcp':\n            s = socket.create_connection(('127.0.0.1', port), timeout=5); s.sendall(b'hi-tcp'); s.close()\n        else:\n            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'hi-udp', ('127.0.0.1', port))\n        print(kind, 'ok')\n    except OSError as e:\n        print(kind, 'errno=%d' % e.errno)\n"
    )
}

struct Listeners {
    tcp: std::net::TcpListener,
    udp: std::net::UdpSocket,
}

impl Listeners {
    fn new() -> Self {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        tcp.set_nonblocking(true).unwrap();
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        udp.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        Self { tcp, udp }
    }
    fn code(&self) -> String {
        net_code(
            self.tcp.local_addr().unwrap().port(),
            self.udp.local_addr().unwrap().port(),
        )
    }
    fn got_tcp(&self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok((mut s, _)) = self.tcp.accept() {
                s.set_nonblocking(false).unwrap();
                let mut buf = String::new();
                let _ = s.read_to_string(&mut buf);
                return buf == "hi-tcp";
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
    fn got_udp(&self) -> bool {
        let mut buf = [0u8; 16];
        matches!(self.udp.recv(&mut buf), Ok(6) if &buf[..6] == b"hi-udp")
    }
}

#[test]
fn tcp_and_udp_are_denied_by_seccomp() {
    let Some(env) = env_or_skip("network") else {
        return;
    };
    if !need(env.sandbox.probe(), "seccomp", "network") {
        return;
    }
    let l = Listeners::new();
    let denied = env.py(Layers::ALL, &env.policy(), &l.code());
    assert_eq!(
        denied.out,
        format!("tcp {EPERM}\nudp {EPERM}\n"),
        "{denied:?}"
    );
    assert!(!l.got_tcp() && !l.got_udp());

    // Control: the project allows network; both arrive.
    let mut open = env.policy();
    open.allow_net = true;
    let control = env.py(Layers::ALL, &open, &l.code());
    assert_eq!(control.out, "tcp ok\nudp ok\n", "{control:?}");
    assert!(l.got_tcp() && l.got_udp());
}

#[test]
fn landlock_alone_stops_tcp_but_not_udp() {
    // Why seccomp is needed on top: Landlock's network rights cover TCP only.
    let Some(env) = env_or_skip("landlock net") else {
        return;
    };
    let probe = env.sandbox.probe();
    if !need(probe, "landlock", "landlock net") || probe.landlock_abi.unwrap_or(0) < 4 {
        eprintln!("SKIPPED landlock net: needs Landlock ABI 4+");
        return;
    }
    let l = Listeners::new();
    let r = env.py(without(&["seccomp", "bwrap"]), &env.policy(), &l.code());
    assert_eq!(r.out, format!("tcp {EACCES}\nudp ok\n"), "{r:?}");
    assert!(!l.got_tcp());
    assert!(l.got_udp());
}

#[test]
fn an_infinite_loop_hits_the_cpu_limit() {
    let Some(env) = env_or_skip("cpu") else {
        return;
    };
    let mut policy = env.policy();
    policy.limits.cpu_secs = 1;
    policy.limits.wall_secs = 40;
    let started = Instant::now();
    let r = env.run(
        Layers::ALL,
        &policy,
        &["/bin/sh", "-c", "while :; do :; done"],
        None,
    );
    // SIGXCPU at the soft limit (24), SIGKILL at the hard one.
    assert!(matches!(r.outcome.signal, Some(24 | 9)), "{r:?}");
    assert!(!r.outcome.timed_out, "{r:?}");
    // One CPU second; the wall-clock bound only has to be far below the 40 s limit.
    assert!(started.elapsed() < Duration::from_secs(30));

    // Control: without rlimits the loop runs until the wall limit kills it.
    policy.limits.wall_secs = 3;
    let control = env.run(
        without(&["rlimits"]),
        &policy,
        &["/bin/sh", "-c", "while :; do :; done"],
        None,
    );
    assert!(control.outcome.timed_out, "{control:?}");
}

#[test]
fn sleeping_past_the_wall_limit_is_killed() {
    let Some(env) = env_or_skip("wall") else {
        return;
    };
    let mut policy = env.policy();
    policy.limits.wall_secs = 1;
    let started = Instant::now();
    let r = env.run(Layers::ALL, &policy, &["/bin/sleep", "30"], None);
    assert!(r.outcome.timed_out, "{r:?}");
    assert_eq!(r.outcome.signal, Some(9), "{r:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let control = env.run(Layers::ALL, &policy, &["/bin/sleep", "0.2"], None);
    assert_eq!(control.code(), Some(0), "{control:?}");
    assert!(!control.outcome.timed_out);
}

const FORKS: &str = "import os, time\nn = 0\nkids = []\nfor i in range(200):\n    try:\n        pid = os.fork()\n    except OSError as e:\n        print('fork failed errno=%d' % e.errno)\n        break\n    if pid == 0:\n        time.sleep(3)\n        os._exit(0)\n    kids.append(pid)\n    n += 1\nprint('forked', n)\n";

#[test]
fn a_fork_flood_is_bounded() {
    let Some(env) = env_or_skip("fork flood") else {
        return;
    };
    let mut policy = env.policy();
    policy.limits.procs = 20;
    let r = env.py(Layers::ALL, &policy, FORKS);
    assert!(r.out.contains("fork failed errno=11"), "{r:?}");
    let n: u32 = r
        .out
        .lines()
        .last()
        .unwrap()
        .trim_start_matches("forked ")
        .parse()
        .unwrap();
    assert!(n < 200, "{r:?}");
    // Control: without rlimits all 200 children start.
    let control = env.py(without(&["rlimits"]), &policy, FORKS);
    assert_eq!(control.out.trim(), "forked 200", "{control:?}");
}

#[test]
fn a_memory_hog_hits_the_memory_limit() {
    let Some(env) = env_or_skip("memory") else {
        return;
    };
    let mut policy = env.policy();
    policy.limits.mem_mb = 256;
    let code = try_py("b = b'x' * (600 * 1024 * 1024)");
    let hog = env.py(Layers::ALL, &policy, &format!("{code}\n"));
    assert!(hog.err.contains("MemoryError"), "{hog:?}");
    assert_ne!(hog.code(), Some(0));
    // Control: no rlimits, the 600 MB are there. It holds them a moment: inside bubblewrap's
    // PID namespace the peak is sampled from /proc, not reported by wait4.
    let hold = try_py("b = b'x' * (600 * 1024 * 1024); import time; time.sleep(0.3)");
    let control = env.py(without(&["rlimits"]), &policy, &hold);
    assert_eq!(control.out.trim(), "ok", "{control:?}");
    assert!(control.outcome.peak_rss_kb > 500.0 * 1024.0, "{control:?}");
}

/// A child that calls setsid() and keeps touching a file; the run's main program exits at
/// once. Returns whether the file was still changing a second after the run ended.
/// The child writes a temp file and renames it over the beacon: killed in the middle of
/// `date > beacon` (after the shell truncated it, before date wrote), it used to leave the
/// beacon empty, which read as "never ran" (a CI flake).
fn escapee_survives(env: &Env, layers: Layers) -> bool {
    let beacon = env.project.path().join("beacon");
    let token = format!("aura-escape-{}", common::uniq());
    let script = format!(
        "setsid /bin/sh -c 'while :; do date +%s%N > {b}.tmp && mv -f {b}.tmp {b}; sleep 0.05; done; : {token}' </dev/null >/dev/null 2>&1 & sleep 0.3",
        b = beacon.display()
    );
    let r = env.run(layers, &env.policy(), &["/bin/sh", "-c", &script], None);
    assert_eq!(r.code(), Some(0), "{r:?}");
    std::thread::sleep(Duration::from_millis(300));
    let before = std::fs::read_to_string(&beacon).unwrap_or_default();
    std::thread::sleep(Duration::from_millis(700));
    let after = std::fs::read_to_string(&beacon).unwrap_or_default();
    kill_by_token(&token);
    assert!(!before.is_empty(), "the escapee never ran");
    before != after
}

fn kill_by_token(token: &str) {
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(cmd) = std::fs::read(e.path().join("cmdline")) else {
            continue;
        };
        if String::from_utf8_lossy(&cmd).contains(token)
            && let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>()
        {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
    }
}

#[test]
fn a_setsid_child_dies_with_the_run_under_bwrap() {
    let Some(env) = env_or_skip("setsid") else {
        return;
    };
    if !need(env.sandbox.probe(), "bwrap", "setsid") {
        eprintln!("without bubblewrap a child that calls setsid() outlives the run (documented)");
        return;
    }
    assert!(
        !escapee_survives(&env, Layers::ALL),
        "the setsid child outlived the run inside bwrap"
    );
    // Control: without bwrap's PID namespace, the escape works.
    assert!(
        escapee_survives(&env, without(&["bwrap"])),
        "control: expected the escape to work without bwrap"
    );
}

#[test]
fn namespaces_and_ptrace_are_denied_by_seccomp() {
    let Some(env) = env_or_skip("syscalls") else {
        return;
    };
    if !need(env.sandbox.probe(), "seccomp", "syscalls") {
        return;
    }
    // unshare(CLONE_NEWUSER) through libc: EPERM from seccomp; the control (seccomp off,
    // no bwrap, whose namespace would forbid nesting) creates the namespace.
    let code = try_py(
        "import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); r = libc.unshare(0x10000000); (r == 0) or (_ for _ in ()).throw(OSError(ctypes.get_errno(), 'unshare'))",
    );
    let denied = env.py(Layers::ALL, &env.policy(), &code);
    assert_eq!(denied.out.trim(), EPERM, "{denied:?}");
    let control = env.py(without(&["seccomp", "bwrap"]), &env.policy(), &code);
    assert_eq!(control.out.trim(), "ok", "{control:?}");
}

#[test]
fn stdout_and_stderr_arrive_apart() {
    let Some(env) = env_or_skip("streams") else {
        return;
    };
    let r = env.run(
        Layers::ALL,
        &env.policy(),
        &["/bin/sh", "-c", "echo out; echo err >&2; exit 7"],
        None,
    );
    assert_eq!(
        (r.out.as_str(), r.err.as_str(), r.code()),
        ("out\n", "err\n", Some(7)),
        "{r:?}"
    );
    assert!(r.outcome.wall_ms > 0.0);
    let _ = std::io::stderr().flush();
}
