//! The AppImage end to end: pack a real AppDir with the real runtime, then start the
//! result as a user would (first start extracts, later starts reuse, a new build gets a
//! new folder) and use its `--appimage-*` options.

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aura_appimage::pack::pack;

const RUNTIME: &str = env!("CARGO_BIN_EXE_aura-appimage-runtime");

struct Place {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Place {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("a temp dir");
        let root = tmp.path().to_owned();
        for d in ["cache", "home", "work"] {
            fs::create_dir(root.join(d)).expect("test dirs");
        }
        Self { _tmp: tmp, root }
    }

    /// An AppDir whose AppRun reports what the runtime gave it and reads through its
    /// folder: an executable, a symlink, a file in a read-only folder.
    fn appdir(&self, version: &str) -> PathBuf {
        let dir = self.root.join(format!("AppDir-{version}"));
        fs::create_dir_all(dir.join("usr/bin")).expect("AppDir");
        fs::create_dir_all(dir.join("usr/share/ro")).expect("AppDir");
        write_exec(
            &dir.join("AppRun"),
            "#!/bin/sh\nHERE=$(dirname \"$0\")\n\
             echo \"APPIMAGE=$APPIMAGE\"; echo \"APPDIR=$APPDIR\"; echo \"OWD=$OWD\"\n\
             echo \"args=$#:$1|$2\"\n\"$HERE/usr/bin/tool\"\ncat \"$HERE/data\" \"$HERE/usr/share/ro/inner\"\n",
        );
        write_exec(&dir.join("usr/bin/tool"), "#!/bin/sh\necho tool ran\n");
        fs::write(dir.join("usr/share/data.txt"), format!("data {version}\n")).expect("data");
        fs::write(dir.join("usr/share/ro/inner"), "inner\n").expect("inner");
        fs::set_permissions(dir.join("usr/share/ro"), fs::Permissions::from_mode(0o555))
            .expect("mode");
        std::os::unix::fs::symlink("usr/share/data.txt", dir.join("data")).expect("symlink");
        dir
    }

    fn run(&self, image: &Path, args: &[&str]) -> Output {
        Command::new(image)
            .args(args)
            .current_dir(self.root.join("work"))
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", self.root.join("home"))
            .env("XDG_CACHE_HOME", self.root.join("cache"))
            .output()
            .expect("the AppImage starts")
    }

    fn extractions(&self) -> Vec<String> {
        let dir = self.root.join("cache/aura/appimage");
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|r| {
                r.filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

fn write_exec(path: &Path, text: &str) {
    fs::write(path, text).expect("script");
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("mode");
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_image_starts_its_app_once_extracted_and_reuses_the_extraction() {
    let p = Place::new();
    let image = p.root.join("Aura.AppImage");
    pack(Path::new(RUNTIME), &p.appdir("1"), &image).expect("packs");

    let first = stdout(&p.run(&image, &["a", "b c"]));
    let [extracted] = p
        .extractions()
        .try_into()
        .expect("one extraction, no partial left");
    let dir = p.root.join("cache/aura/appimage").join(&extracted);
    assert!(
        first.contains(&format!("APPIMAGE={}\n", image.display())),
        "{first}"
    );
    assert!(
        first.contains(&format!("APPDIR={}\n", dir.display())),
        "{first}"
    );
    assert!(
        first.contains(&format!("OWD={}\n", p.root.join("work").display())),
        "{first}"
    );
    assert!(first.contains("args=2:a|b c\n"), "{first}");
    assert!(first.ends_with("tool ran\ndata 1\ninner\n"), "{first}");
    let mode = |rel: &str| {
        fs::symlink_metadata(dir.join(rel))
            .expect(rel)
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("usr/share/ro"), 0o555);
    assert_eq!(mode("usr/bin/tool"), 0o755);
    assert!(
        fs::symlink_metadata(dir.join("data"))
            .expect("link")
            .file_type()
            .is_symlink()
    );

    // A second start runs the same files: mark them and see the mark.
    fs::write(dir.join("usr/share/data.txt"), "marked\n").expect("mark");
    assert!(stdout(&p.run(&image, &[])).contains("marked\n"));
    assert_eq!(p.extractions(), [extracted]);

    // A start killed while unpacking leaves a partial folder: an old one is cleared by the
    // next unpacking, a young one (another start may be writing it) is left alone.
    let base = p.root.join("cache/aura/appimage");
    let (abandoned, busy) = (base.join(".x.1.partial"), base.join(".x.2.partial"));
    for d in [&abandoned, &busy] {
        fs::create_dir(d).expect("partial");
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::open(&abandoned)
        .and_then(|f| f.set_modified(hour_ago))
        .expect("age it");

    // A new build at the same path gets its own folder, not the stale one.
    pack(Path::new(RUNTIME), &p.appdir("2"), &image).expect("packs again");
    assert!(stdout(&p.run(&image, &[])).ends_with("data 2\ninner\n"));
    let now = p.extractions();
    assert_eq!(now.len(), 3, "{now:?}");
    assert!(!abandoned.exists() && busy.exists(), "{now:?}");
}

#[test]
fn extract_and_offset_options() {
    let p = Place::new();
    let image = p.root.join("Aura.AppImage");
    pack(Path::new(RUNTIME), &p.appdir("1"), &image).expect("packs");

    let offset: u64 = stdout(&p.run(&image, &["--appimage-offset"]))
        .trim()
        .parse()
        .expect("a number");
    assert_eq!(offset, fs::metadata(RUNTIME).expect("runtime").len());
    let bytes = fs::read(&image).expect("image");
    assert_eq!(&bytes[8..11], b"AI\x02");
    assert_eq!(&bytes[offset as usize..offset as usize + 4], b"hsqs");

    stdout(&p.run(&image, &["--appimage-extract"]));
    let root = p.root.join("work/squashfs-root");
    let run = Command::new(root.join("AppRun"))
        .output()
        .expect("extracted AppRun runs");
    assert!(stdout(&run).ends_with("tool ran\ndata 1\ninner\n"));
    // Never over a folder the user has: refused, and what is there stays.
    fs::write(root.join("usr/bin/tool"), "mine").expect("user edit");
    let again = p.run(&image, &["--appimage-extract"]);
    assert_eq!(again.status.code(), Some(127));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already exists"),
        "{again:?}"
    );
    assert_eq!(
        fs::read_to_string(root.join("usr/bin/tool")).expect("kept"),
        "mine"
    );
    // Nothing was unpacked into the cache for these options.
    assert!(p.extractions().is_empty());
}

#[test]
fn bad_inputs_are_refused_and_leave_nothing() {
    let p = Place::new();
    // The bare runtime has no image after it.
    let bare = p.run(Path::new(RUNTIME), &[]);
    assert_eq!(bare.status.code(), Some(127));
    assert!(
        String::from_utf8_lossy(&bare.stderr).contains("not an AppImage"),
        "{bare:?}"
    );

    // An AppDir without AppRun is refused before anything is written.
    let appdir = p.appdir("1");
    fs::remove_file(appdir.join("AppRun")).expect("remove");
    let out = p.root.join("x.AppImage");
    let err = pack(Path::new(RUNTIME), &appdir, &out).expect_err("no AppRun");
    assert!(err.to_string().contains("AppRun"), "{err}");
    // A runtime that is not an ELF program is refused too.
    write_exec(&appdir.join("AppRun"), "#!/bin/sh\n");
    let script = appdir.join("AppRun");
    assert!(pack(&script, &appdir, &out).is_err());
    let left: Vec<_> = fs::read_dir(&p.root)
        .expect("root")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("x."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // Control: the same AppDir with its AppRun packs and starts.
    pack(Path::new(RUNTIME), &appdir, &out).expect("packs");
    assert!(p.run(&out, &[]).status.success());
}

#[test]
fn a_new_build_clears_old_builds_nobody_runs_and_each_start_marks_its_own() {
    use std::time::{Duration, SystemTime};
    let p = Place::new();
    let base = p.root.join("cache/aura/appimage");
    let days_ago = |d: u64| SystemTime::now() - Duration::from_secs(d * 24 * 3600);
    let age = |dir: &Path, t: SystemTime| {
        fs::File::open(dir)
            .and_then(|f| f.set_modified(t))
            .expect("age the folder");
    };
    // Builds left by earlier versions: one unused for 8 days (with a read-only folder, as
    // images have), one started yesterday, one unused for 8 days whose program still runs.
    let (unused, recent, running) = (
        base.join("old-unused"),
        base.join("old-recent"),
        base.join("old-running"),
    );
    fs::create_dir_all(unused.join("usr/share/ro")).expect("old build");
    fs::write(unused.join("usr/share/ro/inner"), "x").expect("old file");
    fs::set_permissions(
        unused.join("usr/share/ro"),
        fs::Permissions::from_mode(0o555),
    )
    .expect("mode");
    fs::create_dir_all(&recent).expect("old build");
    fs::create_dir_all(&running).expect("old build");
    fs::copy("/bin/sleep", running.join("sleep")).expect("a program in the old build");
    let mut sleeper = Command::new(running.join("sleep"))
        .arg("60")
        .spawn()
        .expect("it runs");
    age(&unused, days_ago(8));
    age(&recent, days_ago(1));
    age(&running, days_ago(8));

    let image = p.root.join("Aura.AppImage");
    pack(Path::new(RUNTIME), &p.appdir("1"), &image).expect("packs");
    let out = p.run(&image, &[]);
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    assert!(stdout(&out).ends_with("data 1\ninner\n"));
    assert!(!unused.exists(), "an old build nobody uses is cleared");
    assert!(recent.exists() && running.exists(), "{:?}", p.extractions());
    let mine: Vec<String> = p
        .extractions()
        .into_iter()
        .filter(|n| !n.starts_with("old-"))
        .collect();
    let [mine] = mine
        .try_into()
        .expect("this build's folder, nothing being removed left");

    // A later start of the same build marks its folder as used.
    let dir = base.join(&mine);
    age(&dir, days_ago(8));
    stdout(&p.run(&image, &[]));
    let since = fs::metadata(&dir)
        .and_then(|m| m.modified())
        .expect("mtime")
        .elapsed()
        .expect("past");
    assert!(since < Duration::from_secs(60), "marked {since:?} ago");

    // Control: with its program gone, the next new build clears the old running one; this
    // build was just used and stays.
    pack(Path::new(RUNTIME), &p.appdir("2"), &image).expect("packs again");
    assert!(stdout(&p.run(&image, &[])).ends_with("data 2\ninner\n"));
    assert!(
        !running.exists() && recent.exists() && dir.exists(),
        "{:?}",
        p.extractions()
    );
}
