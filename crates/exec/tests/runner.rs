//! Running files by language inside the sandbox (python3, node, bash, C, cargo, Ruby, Go,
//! TypeScript, PHP, Lua, Java), and Stop killing the whole tree, as an unprivileged uid.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aura_exec::lang::{Placeholders, default_command, plan};
use aura_exec::run::{RunCommand, Stream};
use aura_exec::sandbox::{Layers, Policy, Sandbox, WrapRequest};
use common::Env;

/// The system PATH only: the test uid cannot read root's home, where other toolchains
/// may live.
const SYSTEM_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

struct Ran {
    out: String,
    err: String,
    code: Option<i32>,
}

/// Where `scripts/setup --test` installs the runners apt does not carry (tsx).
const TEST_RUNNERS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/runners/node_modules/.bin"
);

/// A runner that is not installed skips the test loudly, or fails it when
/// `AURA_RUNNERS_REQUIRE` names the language (CI names what its setup installs).
fn missing_runner(lang: &str, why: &str) {
    let required = std::env::var("AURA_RUNNERS_REQUIRE").unwrap_or_default();
    assert!(
        !required.split(',').any(|l| l.trim() == lang),
        "the {lang} runner is required (AURA_RUNNERS_REQUIRE={required}) but: {why}"
    );
    eprintln!("SKIPPED {lang}: {why}");
}

fn run_file(env: &Env, lang: &str, name: &str, source: &str) -> Option<Ran> {
    run_file_on(env, lang, name, source, SYSTEM_PATH)
}

fn run_file_on(env: &Env, lang: &str, name: &str, source: &str, path: &str) -> Option<Ran> {
    let file = env.project.path().join(name);
    std::fs::write(&file, source).unwrap();
    let path = std::ffi::OsString::from(path);
    let cmd = match default_command(lang, &file, env.project.path(), Some(&path)) {
        Ok(c) => c,
        Err(e) => {
            missing_runner(lang, &e);
            return None;
        }
    };
    let tmp = env
        .tmp_parent
        .path()
        .join(format!("run-{}", common::uniq()));
    let none = |_: &str| None::<PathBuf>;
    let p = plan(
        &cmd,
        &Placeholders {
            file: Some(&file),
            project: env.project.path(),
            tmp: &tmp,
        },
        Some(&path),
        None,
        &none,
    )
    .unwrap();
    let mut policy = env.policy();
    policy.read_only = p.read_only.clone();
    let mut extra = p.env;
    extra.push(("PATH".into(), path));
    Some(run(env, &policy, &p.argv, extra, &tmp, None))
}

fn run(
    env: &Env,
    policy: &Policy,
    argv: &[std::ffi::OsString],
    extra_env: Vec<(std::ffi::OsString, std::ffi::OsString)>,
    tmp: &Path,
    stop_after: Option<Duration>,
) -> Ran {
    let at = Place {
        sandbox: &env.sandbox,
        cwd: env.project.path(),
        tmp,
    };
    run_in(&at, policy, argv, extra_env, stop_after)
}

/// Where a run happens: the sandbox (with or without the test uid), the project, its temp.
struct Place<'a> {
    sandbox: &'a Sandbox,
    cwd: &'a Path,
    tmp: &'a Path,
}

fn run_in(
    at: &Place<'_>,
    policy: &Policy,
    argv: &[std::ffi::OsString],
    extra_env: Vec<(std::ffi::OsString, std::ffi::OsString)>,
    stop_after: Option<Duration>,
) -> Ran {
    let wrapped = at
        .sandbox
        .wrap(&WrapRequest {
            program: Path::new(&argv[0]),
            args: &argv[1..],
            policy,
            layers: at.sandbox.probe().available(),
            temp_dir: at.tmp,
            pty: false,
        })
        .unwrap();
    let (out, err) = (
        Arc::new(Mutex::new(Vec::new())),
        Arc::new(Mutex::new(Vec::new())),
    );
    let (o, e) = (Arc::clone(&out), Arc::clone(&err));
    let mut env_vars = extra_env;
    if !env_vars.iter().any(|(k, _)| k == "PATH") {
        env_vars.push(("PATH".into(), SYSTEM_PATH.into()));
    }
    let running = aura_exec::run::start(
        RunCommand {
            argv: wrapped.argv,
            cwd: at.cwd.to_path_buf(),
            env: env_vars,
            stdin: None,
            wall_limit: Some(Duration::from_secs(120)),
            signal_exit_codes: wrapped.layers.bwrap,
        },
        move |s, b| match s {
            Stream::Stdout => o.lock().unwrap().extend_from_slice(b),
            Stream::Stderr => e.lock().unwrap().extend_from_slice(b),
        },
    )
    .unwrap();
    if let Some(after) = stop_after {
        std::thread::sleep(after);
        running.stop();
    }
    let outcome = running.wait().unwrap();
    let text = |b: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&b.lock().unwrap()).into_owned();
    Ran {
        out: text(&out),
        err: text(&err),
        code: outcome.exit_code,
    }
}

fn assert_ran(r: &Ran, out: &str, code: i32) {
    assert_eq!((r.out.as_str(), r.code), (out, Some(code)), "{}", r.err);
}

/// Runs `source` saved as `name` by its language's default command on `path` and expects
/// `out` and exit `code`. The env comes back for further checks; None when skipped.
fn expect_ran_on(
    lang: &str,
    name: &str,
    source: &str,
    path: &str,
    out: &str,
    code: i32,
) -> Option<Env> {
    let env = env()?;
    let r = run_file_on(&env, lang, name, source, path)?;
    assert_ran(&r, out, code);
    Some(env)
}

fn expect_ran(lang: &str, name: &str, source: &str, out: &str, code: i32) -> Option<Env> {
    expect_ran_on(lang, name, source, SYSTEM_PATH, out, code)
}

/// A compiled language: it runs as [`expect_ran`] says, and its build wrote nothing into
/// the project but the source.
fn expect_built_leaving_only_the_source(
    lang: &str,
    name: &str,
    source: &str,
    out: &str,
    code: i32,
) {
    if let Some(env) = expect_ran(lang, name, source, out, code) {
        assert_eq!(project_files(&env), [name]);
    }
}

/// The names in the project: a run that builds must leave only the source there.
fn project_files(env: &Env) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(env.project.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect()
}

fn env() -> Option<Env> {
    let e = Env::new();
    if e.is_none() {
        eprintln!("SKIPPED: no unprivileged uid");
    }
    e
}

#[test]
fn python_file_prints_both_streams_and_exits_with_its_code() {
    let Some(env) = env() else { return };
    let r = run_file(
        &env,
        "python",
        "hello.py",
        "import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.exit(3)\n",
    )
    .unwrap();
    assert_eq!(
        (r.out.as_str(), r.err.as_str(), r.code),
        ("out\n", "err\n", Some(3)),
        "{}",
        r.err
    );
}

#[test]
fn node_file_runs() {
    expect_ran(
        "javascript",
        "hello.js",
        "console.log(40 + 2); process.exitCode = 0;\n",
        "42\n",
        0,
    );
}

#[test]
fn bash_file_runs() {
    let Some(env) = env() else { return };
    let r = run_file(
        &env,
        "shell",
        "hello.sh",
        "echo \"bash $BASH_VERSINFO\" && exit 0\n",
    )
    .unwrap();
    assert!(r.out.starts_with("bash "), "{} {}", r.out, r.err);
    assert_eq!(r.code, Some(0));
}

#[test]
fn ruby_file_runs() {
    expect_ran(
        "ruby",
        "hello.rb",
        "puts \"ruby says #{6 * 7}\"\nexit 4\n",
        "ruby says 42\n",
        4,
    );
}

#[test]
fn php_file_runs() {
    expect_ran(
        "php",
        "hello.php",
        "<?php echo 'php says ', 6 * 7, \"\\n\"; exit(7);\n",
        "php says 42\n",
        7,
    );
}

#[test]
fn lua_file_runs() {
    expect_ran(
        "lua",
        "hello.lua",
        "print('lua says ' .. 6 * 7)\nos.exit(8)\n",
        "lua says 42\n",
        8,
    );
}

/// `java File.java` compiles and runs a single-file program in memory (Java 11+).
#[test]
fn java_file_runs() {
    expect_ran(
        "java",
        "Hello.java",
        "public class Hello { public static void main(String[] a) { System.out.println(\"java says \" + 6 * 7); System.exit(9); } }\n",
        "java says 42\n",
        9,
    );
}

#[test]
fn go_file_builds_with_its_cache_in_the_private_temp_dir() {
    // The build's cache and binary go to the temp dir, not the project.
    expect_built_leaving_only_the_source(
        "go",
        "hello.go",
        "package main\n\nimport (\"fmt\"; \"os\")\n\nfunc main() { fmt.Println(\"go says\", 6*7); os.Exit(5) }\n",
        "go says 42\n",
        5,
    );
}

/// TypeScript through tsx, installed as a package outside the project: the sandbox must let
/// the runner read its whole package tree (tsx loads esbuild from beside it).
#[test]
fn typescript_file_runs_through_an_installed_runner() {
    expect_ran_on(
        "typescript",
        "hello.ts",
        "const n: number = 6 * 7;\nconsole.log(`ts says ${n}`);\nprocess.exitCode = 6;\n",
        &format!("{TEST_RUNNERS}:{SYSTEM_PATH}"),
        "ts says 42\n",
        6,
    );
}

/// Bun and Deno: single binaries that npm installs into node_modules. Each alone on PATH
/// (Run takes the first installed of tsx, ts-node, deno and bun) runs a TypeScript file in
/// the sandbox, through a link outside the package as a user's `~/bin/bun` would be.
#[test]
fn typescript_file_runs_through_bun_or_deno_alone() {
    let modules = Path::new(TEST_RUNNERS).join("..");
    let runners = [
        ("bun", "bun/bin/bun.exe", "Bun"),
        ("deno", "deno/deno", "Deno"),
    ];
    for (runner, target, global) in runners {
        let target = modules.join(target);
        if !target.is_file() {
            missing_runner(
                &format!("typescript-{runner}"),
                "not installed by scripts/setup --test",
            );
            continue;
        }
        let bin = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(&target, bin.path().join(runner)).unwrap();
        // World-readable: the run may be as another uid.
        std::fs::set_permissions(bin.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        expect_ran_on(
            "typescript",
            "hello.ts",
            // The runner's own global proves which one ran (Node has neither).
            &format!(
                "const n: number = 6 * 7;\n\
                 console.log(`{runner} says ${{n}}`, typeof (globalThis as any).{global});\n\
                 process.exitCode = 6;\n"
            ),
            &format!("{}:{SYSTEM_PATH}", bin.path().display()),
            &format!("{runner} says 42 object\n"),
            6,
        );
    }
}

#[test]
fn c_file_compiles_into_the_private_temp_dir_and_runs() {
    expect_built_leaving_only_the_source(
        "c",
        "hello.c",
        "#include <stdio.h>\nint main(void){printf(\"c says %d\\n\", 6*7);return 2;}\n",
        "c says 42\n",
        2,
    );
}

#[test]
fn stop_kills_the_whole_tree() {
    let Some(env) = env() else { return };
    let token = format!("aura-stop-{}", common::uniq());
    // Children and a grandchild, all sleeping; the tree must be gone after Stop.
    let script =
        format!("sh -c 'sleep 300; : {token}' & (sh -c 'sleep 300; : {token}' &) ; sleep 300");
    let tmp = env
        .tmp_parent
        .path()
        .join(format!("stop-{}", common::uniq()));
    let started = Instant::now();
    let argv: Vec<std::ffi::OsString> = vec!["/bin/sh".into(), "-c".into(), script.into()];
    let r = run(
        &env,
        &env.policy(),
        &argv,
        Vec::new(),
        &tmp,
        Some(Duration::from_millis(500)),
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.code, None);
    std::thread::sleep(Duration::from_millis(200));
    let left: Vec<_> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&token))
        })
        .collect();
    assert!(left.is_empty(), "{} processes outlived Stop", left.len());
}

#[test]
fn layers_on_a_run_match_the_probe() {
    let Some(env) = env() else { return };
    // A run asks for what the probe has; with nothing asked, the program runs bare.
    let tmp = env.tmp_parent.path().join("bare");
    let argv: Vec<std::ffi::OsString> = vec!["/bin/true".into()];
    let wrapped = env
        .sandbox
        .wrap(&WrapRequest {
            program: Path::new(&argv[0]),
            args: &[],
            policy: &env.policy(),
            layers: Layers::NONE,
            temp_dir: &tmp,
            pty: false,
        })
        .unwrap();
    assert!(!wrapped.layers.bwrap && !wrapped.layers.landlock);
    assert!(wrapped.argv.iter().any(|a| a == "/bin/true"));
}

/// A Rust file in a cargo project runs through `cargo run` with the toolchain from the
/// user's home (rustup's `~/.cargo` and `~/.rustup`, granted read-only by the plan). As the
/// current user: the unprivileged test uid cannot read the home the toolchain is in. The
/// plan's read-only grants are what makes it work: the control runs the same plan with them
/// removed and cargo cannot start.
#[test]
fn cargo_project_runs_with_the_toolchain_from_home() {
    let Some(path) = std::env::var_os("PATH") else {
        return;
    };
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir(project.path().join("src")).unwrap();
    std::fs::write(
        project.path().join("Cargo.toml"),
        "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    let main = project.path().join("src/main.rs");
    std::fs::write(
        &main,
        "fn main() { println!(\"rust says {}\", 6 * 7); std::process::exit(3); }\n",
    )
    .unwrap();
    let cmd = match default_command("rust", &main, project.path(), Some(&path)) {
        Ok(c) => c,
        Err(e) => {
            missing_runner("rust", &e);
            return;
        }
    };
    let sandbox = Sandbox::new(common::helper());
    let tmp_parent = tempfile::tempdir().unwrap();
    let var = |k: &str| std::env::var_os(k).map(PathBuf::from);
    let run_with = |grants: bool| {
        let tmp = tmp_parent.path().join(format!("run-{}", common::uniq()));
        let p = plan(
            &cmd,
            &Placeholders {
                file: Some(&main),
                project: project.path(),
                tmp: &tmp,
            },
            Some(&path),
            home.as_deref(),
            &var,
        )
        .unwrap();
        let policy = Policy {
            read_write: vec![project.path().to_path_buf()],
            read_only: if grants {
                p.read_only.clone()
            } else {
                Vec::new()
            },
            allow_net: false,
            limits: aura_exec::sandbox::Limits {
                wall_secs: 120,
                ..Default::default()
            },
        };
        let mut extra = p.env.clone();
        extra.push(("PATH".into(), path.clone()));
        let at = Place {
            sandbox: &sandbox,
            cwd: project.path(),
            tmp: &tmp,
        };
        run_in(&at, &policy, &p.argv, extra, None)
    };
    assert_ran(&run_with(true), "rust says 42\n", 3);
    // cargo built into the project's own target/, as it does outside the sandbox.
    assert!(project.path().join("target").is_dir());
    let r = run_with(false);
    assert!(
        r.out.is_empty() && r.code != Some(3) && r.err.contains("Permission denied"),
        "ran without the toolchain grants: {} {}",
        r.out,
        r.err
    );
}
