//! Toolchain dirs a sandboxed program needs to read beyond the system ones: the prefix of
//! the interpreter it runs (a pyenv, nvm or rustup install under `$HOME`), and the homes
//! some tools always read (cargo and rustup).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::SYSTEM_READ_ONLY;

/// Finds `name` on `path` (a `PATH` value) like a shell would; a name with a slash is taken
/// as it is.
pub fn resolve_program(name: &str, path: Option<&OsStr>) -> Option<PathBuf> {
    if name.contains('/') {
        let p = PathBuf::from(name);
        return is_executable(&p).then_some(p);
    }
    std::env::split_paths(path?)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(p) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// The read-only dirs `program` (a resolved path) needs: its install prefix when that is
/// outside the system dirs (`~/.pyenv` for `~/.pyenv/shims/python3`), and for the Rust
/// tools both `CARGO_HOME` and `RUSTUP_HOME`. `home` is the user's home dir.
pub fn toolchain_dirs(
    program: &Path,
    home: Option<&Path>,
    env: &dyn Fn(&str) -> Option<PathBuf>,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in [
        program.to_path_buf(),
        std::fs::canonicalize(program).unwrap_or_default(),
    ] {
        if p.as_os_str().is_empty() || is_system(&p) {
            continue;
        }
        // An npm package (tsx in node_modules/.bin, or where its link points) loads its
        // dependencies from beside it: the whole node_modules tree it is in.
        if let Some(modules) = node_modules_root(&p) {
            push_unique(&mut out, modules);
            continue;
        }
        // bin/python3 -> its prefix (the dir above bin/), else the dir it is in.
        let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
        let prefix = match dir.file_name().and_then(OsStr::to_str) {
            Some("bin" | "shims") => dir.parent().map_or_else(|| dir.clone(), Path::to_path_buf),
            _ => dir.clone(),
        };
        // Never all of $HOME: `~/bin/tool` grants `~/bin`, a program in $HOME itself nothing.
        let grant = if Some(prefix.as_path()) == home {
            dir
        } else {
            prefix
        };
        if !grant.as_os_str().is_empty() && Some(grant.as_path()) != home {
            push_unique(&mut out, grant);
        }
    }
    let name = program.file_name().and_then(OsStr::to_str).unwrap_or("");
    let rusty = matches!(name, "cargo" | "rustc" | "rustup" | "rustdoc")
        || out
            .iter()
            .any(|d| d.ends_with(".cargo") || d.ends_with(".rustup"));
    if rusty {
        for (var, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
            if let Some(d) = env(var).or_else(|| home.map(|h| h.join(default)))
                && d.is_dir()
            {
                push_unique(&mut out, d);
            }
        }
    }
    if name == "go"
        && let Some(d) = env("GOMODCACHE").or_else(|| home.map(|h| h.join("go/pkg/mod")))
        && d.is_dir()
    {
        push_unique(&mut out, d);
    }
    out
}

fn is_system(p: &Path) -> bool {
    SYSTEM_READ_ONLY
        .iter()
        .any(|s| p.starts_with(s) && *s != "/proc" && *s != "/sys")
}

/// The outermost `node_modules` dir above `p` (pnpm nests more inside it).
fn node_modules_root(p: &Path) -> Option<PathBuf> {
    p.ancestors()
        .filter(|a| a.file_name() == Some(OsStr::new("node_modules")))
        .last()
        .map(Path::to_path_buf)
}

fn push_unique(v: &mut Vec<PathBuf>, p: PathBuf) {
    if !v.contains(&p) {
        v.push(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_programs_need_nothing_extra() {
        let none = |_: &str| None;
        assert!(
            toolchain_dirs(
                Path::new("/usr/bin/python3"),
                Some(Path::new("/home/u")),
                &none
            )
            .is_empty()
        );
    }

    #[test]
    fn a_home_install_grants_its_prefix_not_home() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path();
        let shim = home.join(".pyenv/shims/python3");
        std::fs::create_dir_all(shim.parent().unwrap()).unwrap();
        std::fs::write(&shim, "#!/bin/sh\n").unwrap();
        let none = |_: &str| None;
        let dirs = toolchain_dirs(&shim, Some(home), &none);
        assert_eq!(dirs, vec![home.join(".pyenv")]);
        // A program straight in $HOME must not grant all of $HOME.
        let direct = home.join("tool");
        std::fs::write(&direct, "").unwrap();
        assert!(toolchain_dirs(&direct, Some(home), &none).is_empty());
        let in_bin = home.join("bin/tool");
        std::fs::create_dir_all(home.join("bin")).unwrap();
        std::fs::write(&in_bin, "").unwrap();
        assert_eq!(
            toolchain_dirs(&in_bin, Some(home), &none),
            vec![home.join("bin")]
        );
    }

    #[test]
    fn an_npm_package_gets_its_node_modules_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let modules = tmp.path().join("tools/node_modules");
        let cli = modules.join(".pnpm/tsx@4/node_modules/tsx/dist/cli.mjs");
        std::fs::create_dir_all(cli.parent().unwrap()).unwrap();
        std::fs::write(&cli, "").unwrap();
        std::fs::create_dir_all(modules.join(".bin")).unwrap();
        let link = modules.join(".bin/tsx");
        std::os::unix::fs::symlink(&cli, &link).unwrap();
        let none = |_: &str| None;
        assert_eq!(toolchain_dirs(&link, None, &none), vec![modules]);
    }

    #[test]
    fn cargo_gets_both_rust_homes() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path();
        for d in [".cargo/bin", ".rustup"] {
            std::fs::create_dir_all(home.join(d)).unwrap();
        }
        let cargo = home.join(".cargo/bin/cargo");
        std::fs::write(&cargo, "").unwrap();
        let none = |_: &str| None;
        let dirs = toolchain_dirs(&cargo, Some(home), &none);
        assert!(dirs.contains(&home.join(".cargo")), "{dirs:?}");
        assert!(dirs.contains(&home.join(".rustup")), "{dirs:?}");
    }

    #[test]
    fn resolves_on_path() {
        let path = std::env::join_paths(["/nonexistent", "/bin", "/usr/bin"]).unwrap();
        let sh = resolve_program("sh", Some(&path)).unwrap();
        assert!(sh.ends_with("sh"));
        assert!(resolve_program("no-such-program-aura", Some(&path)).is_none());
    }
}
