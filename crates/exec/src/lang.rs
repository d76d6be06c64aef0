//! Which command runs a file, by language. A command is a `sh` script template with
//! placeholders, each replaced by a shell-quoted value: `{file}` (absolute path), `{dir}`
//! (its folder), `{stem}` (file name without extension), `{tmp}` (the run's private temp
//! dir), `{project}` (the project folder). Settings may override any language's template.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::sandbox::resolve_program;

/// A template ready to expand, with the program whose toolchain the sandbox must allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangCommand {
    pub template: String,
    /// The first word of the template, resolved on PATH when possible.
    pub program: String,
}

impl LangCommand {
    pub fn new(template: impl Into<String>) -> Self {
        let template = template.into();
        let program = template.split_whitespace().next().unwrap_or("").to_owned();
        Self { template, program }
    }
}

/// The built-in command for `language` (Monaco's ids), or an error saying what to install.
/// `file` is the file to run, `project` the project folder, `path` the PATH to search.
pub fn default_command(
    language: &str,
    file: &Path,
    project: &Path,
    path: Option<&OsStr>,
) -> Result<LangCommand, String> {
    let have = |p: &str| resolve_program(p, path).is_some();
    let first = |cands: &[(&str, &str)], what: &str| {
        cands
            .iter()
            .find(|(p, _)| have(p))
            .map(|(_, t)| LangCommand::new(*t))
            .ok_or_else(|| format!("no {what} found on PATH (looked for {})", names(cands)))
    };
    match language {
        "python" => first(
            &[
                ("python3", "python3 -u {file}"),
                ("python", "python -u {file}"),
            ],
            "Python",
        ),
        "javascript" => first(
            &[
                ("node", "node {file}"),
                ("bun", "bun run {file}"),
                ("deno", "deno run {file}"),
            ],
            "JavaScript runtime",
        ),
        "typescript" => typescript(path),
        "shell" => first(&[("bash", "bash {file}"), ("sh", "sh {file}")], "shell"),
        "ruby" => first(&[("ruby", "ruby {file}")], "Ruby"),
        "php" => first(&[("php", "php {file}")], "PHP"),
        "lua" => first(&[("lua", "lua {file}")], "Lua"),
        // Not `go run`: it reports any failure as its own exit code 1, so the Run panel
        // would never show the program's code.
        "go" => first(
            &[("go", "go build -o {tmp}/prog {file} && exec {tmp}/prog")],
            "Go toolchain",
        ),
        "java" => first(&[("java", "java {file}")], "Java"),
        "rust" => match cargo_manifest(file, project) {
            Some(_) => first(
                &[("cargo", "cargo run --quiet --manifest-path {manifest}")],
                "cargo",
            ),
            None => first(
                &[("rustc", "rustc -o {tmp}/prog {file} && exec {tmp}/prog")],
                "rustc",
            ),
        },
        "c" => first(
            &[
                ("cc", "cc -o {tmp}/prog {file} -lm && exec {tmp}/prog"),
                ("gcc", "gcc -o {tmp}/prog {file} -lm && exec {tmp}/prog"),
                ("clang", "clang -o {tmp}/prog {file} -lm && exec {tmp}/prog"),
            ],
            "C compiler",
        ),
        "cpp" => first(
            &[
                ("c++", "c++ -o {tmp}/prog {file} && exec {tmp}/prog"),
                ("g++", "g++ -o {tmp}/prog {file} && exec {tmp}/prog"),
                ("clang++", "clang++ -o {tmp}/prog {file} && exec {tmp}/prog"),
            ],
            "C++ compiler",
        ),
        other => Err(format!(
            "Aura does not know how to run {other} files; add a run command for it in settings"
        )),
    }
}

/// TypeScript through whichever runner is installed; Node strips types itself from 22.6.
fn typescript(path: Option<&OsStr>) -> Result<LangCommand, String> {
    for (p, t) in [
        ("tsx", "tsx {file}"),
        ("ts-node", "ts-node {file}"),
        ("deno", "deno run {file}"),
        ("bun", "bun run {file}"),
    ] {
        if resolve_program(p, path).is_some() {
            return Ok(LangCommand::new(t));
        }
    }
    if let Some(node) = resolve_program("node", path)
        && node_strips_types(&node)
    {
        return Ok(LangCommand::new("node --experimental-strip-types {file}"));
    }
    Err("no TypeScript runner found (install tsx, ts-node, deno or bun, or Node 22.6+)".into())
}

fn node_strips_types(node: &Path) -> bool {
    let Ok(out) = std::process::Command::new(node).arg("--version").output() else {
        return false;
    };
    let v = String::from_utf8_lossy(&out.stdout);
    let mut parts = v
        .trim()
        .trim_start_matches('v')
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (22, 6)
}

fn names(c: &[(&str, &str)]) -> String {
    c.iter().map(|(p, _)| *p).collect::<Vec<_>>().join(", ")
}

/// The nearest Cargo.toml above `file`, not leaving the project.
pub fn cargo_manifest(file: &Path, project: &Path) -> Option<PathBuf> {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if !d.starts_with(project) {
            return None;
        }
        let m = d.join("Cargo.toml");
        if m.is_file() {
            return Some(m);
        }
        dir = d.parent();
    }
    None
}

/// Values for the placeholders of a template.
#[derive(Debug, Clone)]
pub struct Placeholders<'a> {
    pub file: Option<&'a Path>,
    pub project: &'a Path,
    pub tmp: &'a Path,
}

/// Replaces the placeholders of `template` with shell-quoted values. An unknown `{name}` is
/// an error, so a typo in settings is reported instead of run.
pub fn expand(template: &str, v: &Placeholders<'_>) -> Result<String, String> {
    let file = v.file;
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let name = &after[..j];
        let need_file = || file.ok_or_else(|| format!("{{{name}}} needs a file to run"));
        let value: PathBuf = match name {
            "file" => need_file()?.to_path_buf(),
            "dir" => need_file()?.parent().unwrap_or(v.project).to_path_buf(),
            "stem" => PathBuf::from(need_file()?.file_stem().unwrap_or_default()),
            "tmp" => v.tmp.to_path_buf(),
            "project" => v.project.to_path_buf(),
            "manifest" => cargo_manifest(need_file()?, v.project)
                .ok_or("{manifest}: no Cargo.toml above the file")?,
            _ => {
                return Err(format!(
                    "unknown placeholder {{{name}}} in run command {template:?}"
                ));
            }
        };
        out.push_str(&quote(&value.to_string_lossy()));
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A run ready for the sandbox: `sh -c SCRIPT`, the toolchain dirs it must read, and the
/// environment its tools need (caches in the private temp dir).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunPlan {
    pub argv: Vec<std::ffi::OsString>,
    pub read_only: Vec<PathBuf>,
    pub env: Vec<(std::ffi::OsString, std::ffi::OsString)>,
}

/// Expands `cmd` and works out what else the run needs. `path` is the PATH to resolve the
/// program on, `home` the user's home, `var` reads the environment.
pub fn plan(
    cmd: &LangCommand,
    v: &Placeholders<'_>,
    path: Option<&OsStr>,
    home: Option<&Path>,
    var: &dyn Fn(&str) -> Option<PathBuf>,
) -> Result<RunPlan, String> {
    let script = expand(&cmd.template, v)?;
    let mut read_only = Vec::new();
    if let Some(program) = resolve_program(&cmd.program, path) {
        read_only = crate::sandbox::toolchain_dirs(&program, home, var);
    }
    let mut env = Vec::new();
    match cmd.program.as_str() {
        // Go writes its build cache and temp files under $HOME by default.
        "go" => {
            env.push(("GOCACHE".into(), v.tmp.join("go-build").into_os_string()));
            env.push(("GOTMPDIR".into(), v.tmp.as_os_str().to_owned()));
        }
        // rustup and cargo look for their homes under $HOME unless told.
        "cargo" | "rustc" => {
            for (name, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
                if let Some(d) = var(name).or_else(|| home.map(|h| h.join(default))) {
                    env.push((name.into(), d.into_os_string()));
                }
            }
            // A shared target dir (CARGO_TARGET_DIR or cargo's config) usually lies outside
            // the project, where the sandbox lets nothing be written: build into the
            // project's target/ unless the variable already points inside the project.
            if cmd.program == "cargo"
                && !var("CARGO_TARGET_DIR").is_some_and(|d| d.starts_with(v.project))
            {
                env.push((
                    "CARGO_TARGET_DIR".into(),
                    v.project.join("target").into_os_string(),
                ));
            }
        }
        _ => {}
    }
    Ok(RunPlan {
        argv: vec!["/bin/sh".into(), "-c".into(), script.into()],
        read_only,
        env,
    })
}

/// POSIX shell single quotes.
pub fn quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+=:,@".contains(&b))
    {
        return s.to_owned();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_quoted() {
        let v = Placeholders {
            file: Some(Path::new("/p/it's here.py")),
            project: Path::new("/p"),
            tmp: Path::new("/t"),
        };
        assert_eq!(
            expand("python3 -u {file} > {tmp}/out", &v).unwrap(),
            r"python3 -u '/p/it'\''s here.py' > /t/out"
        );
        assert_eq!(
            expand("cd {dir} && echo {stem}", &v).unwrap(),
            r"cd /p && echo 'it'\''s here'"
        );
        assert!(expand("run {nope}", &v).unwrap_err().contains("{nope}"));
        let none = Placeholders { file: None, ..v };
        assert!(expand("x {file}", &none).is_err());
        assert_eq!(expand("make -C {project}", &none).unwrap(), "make -C /p");
    }

    #[test]
    fn picks_installed_runners_and_names_missing_ones() {
        let path = std::env::var_os("PATH");
        let f = Path::new("/p/a.py");
        let py = default_command("python", f, Path::new("/p"), path.as_deref()).unwrap();
        assert!(py.template.contains("{file}"));
        let empty = std::ffi::OsString::from("/nonexistent");
        let e = default_command("python", f, Path::new("/p"), Some(&empty)).unwrap_err();
        assert!(e.contains("python3"), "{e}");
        assert!(default_command("cobol", f, Path::new("/p"), path.as_deref()).is_err());
    }

    #[test]
    fn rust_files_in_a_crate_use_cargo() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(t.path().join("src")).unwrap();
        std::fs::write(t.path().join("Cargo.toml"), "[package]\n").unwrap();
        let main = t.path().join("src/main.rs");
        assert_eq!(
            cargo_manifest(&main, t.path()),
            Some(t.path().join("Cargo.toml"))
        );
        assert_eq!(cargo_manifest(&main, &t.path().join("src")), None);
    }

    #[test]
    fn cargo_builds_inside_the_project_unless_told_a_place_there() {
        let project = Path::new("/p");
        let cmd = LangCommand {
            program: "cargo".into(),
            template: "cargo run".into(),
        };
        let v = Placeholders {
            file: None,
            project,
            tmp: Path::new("/t"),
        };
        let target = |set: Option<&str>| {
            let var = |k: &str| {
                (k == "CARGO_TARGET_DIR")
                    .then(|| set.map(PathBuf::from))
                    .flatten()
            };
            let p = plan(&cmd, &v, None, None, &var).unwrap();
            p.env
                .into_iter()
                .find(|(k, _)| k == "CARGO_TARGET_DIR")
                .map(|(_, d)| PathBuf::from(d))
        };
        assert_eq!(target(None), Some(project.join("target")));
        assert_eq!(target(Some("/shared/target")), Some(project.join("target")));
        // A target dir the user chose inside the project is left to cargo.
        assert_eq!(target(Some("/p/.build")), None);
    }
}
