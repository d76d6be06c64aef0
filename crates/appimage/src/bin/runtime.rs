//! The program at the head of Aura's AppImage.
//!
//! Started as the AppImage itself: extracts the app once into
//! `$XDG_CACHE_HOME/aura/appimage/KEY` (a new build gets a new KEY) and execs its `AppRun`
//! with `APPIMAGE`, `APPDIR`, `OWD` and `ARGV0` set, as AppImage runtimes do. Also
//! `--appimage-extract` (into ./squashfs-root) and `--appimage-offset`. Older builds'
//! folders are cleared when a new build unpacks (see `aura_appimage::cache`).

use std::ffi::OsString;
use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use aura_appimage::cache;
use aura_appimage::image::AppImage;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "Aura AppImage: {e}");
            // What shells report for a program that could not be started.
            ExitCode::from(127)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_default();
    let rest: Vec<OsString> = args.collect();
    let me = std::env::current_exe().map_err(|e| format!("cannot find its own file: {e}"))?;
    let image = AppImage::open(&me).map_err(|e| e.to_string())?;
    let mut out = std::io::stdout();
    match rest.first().and_then(|a| a.to_str()) {
        Some("--appimage-offset") => {
            let _ = writeln!(out, "{}", image.offset());
            return Ok(ExitCode::SUCCESS);
        }
        Some("--appimage-extract") => {
            let dest = Path::new("squashfs-root");
            image.extract(dest).map_err(|e| e.to_string())?;
            let _ = writeln!(out, "{}", dest.display());
            return Ok(ExitCode::SUCCESS);
        }
        Some("--appimage-help") => {
            let _ = writeln!(
                out,
                "--appimage-extract  write the app's folder into ./squashfs-root\n\
                 --appimage-offset   print where the image starts in this file\n\
                 anything else is passed to Aura"
            );
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let dir = extracted(&image)?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let err = Command::new(dir.join("AppRun"))
        .args(&rest)
        .env("APPIMAGE", &me)
        .env("APPDIR", &dir)
        .env("OWD", cwd)
        .env("ARGV0", argv0)
        .exec();
    Err(format!(
        "cannot start {}: {err}",
        dir.join("AppRun").display()
    ))
}

/// The cache folder holding this build's files, extracting them on first use. Several
/// starts at once each extract into their own folder; the first rename wins.
fn extracted(image: &AppImage) -> Result<PathBuf, String> {
    let base = cache_home()?.join("aura/appimage");
    let key = image.key().map_err(|e| e.to_string())?;
    let dir = base.join(&key);
    if dir.join("AppRun").exists() {
        cache::mark_used(&dir);
        return Ok(dir);
    }
    std::fs::create_dir_all(&base).map_err(|e| format!("cannot create {}: {e}", base.display()))?;
    // A new build: older ones' folders may be garbage now.
    cache::clear(&base, &key);
    let partial = base.join(format!(".{key}.{}.partial", std::process::id()));
    cache::remove_tree(&partial);
    if let Err(e) = image.extract(&partial) {
        cache::remove_tree(&partial);
        return Err(e.to_string());
    }
    if let Err(e) = std::fs::rename(&partial, &dir) {
        cache::remove_tree(&partial);
        if !dir.join("AppRun").exists() {
            return Err(format!("cannot move the app into {}: {e}", dir.display()));
        }
    }
    Ok(dir)
}

/// `$XDG_CACHE_HOME`, else `~/.cache` (the XDG rule: a relative value is ignored).
fn cache_home() -> Result<PathBuf, String> {
    let absolute = |v: Option<OsString>| v.map(PathBuf::from).filter(|p| p.is_absolute());
    absolute(std::env::var_os("XDG_CACHE_HOME"))
        .or_else(|| absolute(std::env::var_os("HOME")).map(|h| h.join(".cache")))
        .ok_or_else(|| "neither XDG_CACHE_HOME nor HOME is set: no place to unpack the app".into())
}
