//! Archive import refuses every classic attack and leaves no trace; export roundtrips.

// Helpers outside #[test] fns panic on failure by design; timings are reported on stderr.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use aura_core::ErrorCode;
use aura_fs::{ArchiveLimits, ProjectRoot, export_zip, import_archive};
use common::snapshot;
use zip::write::SimpleFileOptions;

struct Scene {
    tmp: tempfile::TempDir,
}

impl Scene {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("work")).unwrap();
        std::fs::write(tmp.path().join("victim.txt"), b"do not touch").unwrap();
        Self { tmp }
    }
    fn base(&self) -> PathBuf {
        std::fs::canonicalize(self.tmp.path()).unwrap()
    }
    fn dest(&self) -> PathBuf {
        self.base().join("work/dest")
    }
    fn archive(&self, name: &str) -> PathBuf {
        self.base().join(name)
    }
    /// Imports and asserts the refusal left the world as it was: no dest, no staging,
    /// nothing new or changed anywhere in the temp dir.
    fn refused(&self, archive: &Path, limits: &ArchiveLimits) -> ErrorCode {
        let before = snapshot(&self.base());
        let err = import_archive(archive, &self.dest(), limits).unwrap_err();
        eprintln!("{}: {err}", archive.file_name().unwrap().to_string_lossy());
        assert!(!self.dest().exists(), "dest must not exist after a refusal");
        assert_eq!(
            snapshot(&self.base()),
            before,
            "nothing written anywhere ({err})"
        );
        assert!(
            !self.base().join("evil.txt").exists() && !Path::new("/tmp/aura-evil.txt").exists()
        );
        err.code
    }
}

fn zip_with(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zw = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zw.start_file(*name, opts).unwrap();
        zw.write_all(data).unwrap();
    }
    zw.finish().unwrap();
}

/// A tar header with a raw name, bypassing the tar crate's own path checks.
fn tar_header(name: &str, kind: tar::EntryType, size: u64, link: Option<&str>) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(0o644);
    if let Some(l) = link {
        h.as_old_mut().linkname[..l.len()].copy_from_slice(l.as_bytes());
    }
    h.set_cksum();
    h
}

fn tar_with(path: &Path, entries: &[(&str, tar::EntryType, &[u8], Option<&str>)]) {
    let mut b = tar::Builder::new(std::fs::File::create(path).unwrap());
    for (name, kind, data, link) in entries {
        b.append(&tar_header(name, *kind, data.len() as u64, *link), *data)
            .unwrap();
    }
    b.finish().unwrap();
}

#[test]
fn zip_slip_absolute_and_backslash_entries_are_refused() {
    let s = Scene::new();
    let limits = ArchiveLimits::default();
    let cases: [(&str, &str, ErrorCode); 4] = [
        ("slip.zip", "ok/../../evil.txt", ErrorCode::OutsideProject),
        ("abs.zip", "/tmp/aura-evil.txt", ErrorCode::OutsideProject),
        ("drive.zip", "C:/evil.txt", ErrorCode::OutsideProject),
        ("backslash.zip", "..\\evil.txt", ErrorCode::InvalidInput),
    ];
    for (file, entry, code) in cases {
        let a = s.archive(file);
        // A good entry first, so the refusal happens after something was already written.
        zip_with(&a, &[("good/a.txt", b"fine"), (entry, b"pwned")]);
        assert_eq!(s.refused(&a, &limits), code, "{entry}");
        std::fs::remove_file(&a).unwrap();
    }
    let t = s.archive("slip.tar");
    tar_with(
        &t,
        &[
            ("good.txt", tar::EntryType::Regular, b"x", None),
            ("../evil.txt", tar::EntryType::Regular, b"p", None),
        ],
    );
    assert_eq!(s.refused(&t, &limits), ErrorCode::OutsideProject);
    std::fs::remove_file(&t).unwrap();
    let t = s.archive("abs.tar");
    tar_with(
        &t,
        &[("/tmp/aura-evil.txt", tar::EntryType::Regular, b"p", None)],
    );
    assert_eq!(s.refused(&t, &limits), ErrorCode::OutsideProject);
}

#[test]
fn links_pointing_out_are_refused() {
    let s = Scene::new();
    let limits = ArchiveLimits::default();
    let cases: [(&str, tar::EntryType, &str); 5] = [
        ("sym_rel.tar", tar::EntryType::Symlink, "../../victim.txt"),
        ("sym_abs.tar", tar::EntryType::Symlink, "/etc/passwd"),
        ("hard_rel.tar", tar::EntryType::Link, "../victim.txt"),
        ("hard_abs.tar", tar::EntryType::Link, "/etc/passwd"),
        // Each link alone stays inside; the chain climbs out (a/b/p -> dest, s -> a/b/p/../..).
        ("chain.tar", tar::EntryType::Symlink, "a/b/p/../.."),
    ];
    for (file, kind, target) in cases {
        let a = s.archive(file);
        let mut entries = vec![("a/b/file.txt", tar::EntryType::Regular, &b"x"[..], None)];
        if file == "chain.tar" {
            entries.push(("a/b/p", tar::EntryType::Symlink, b"", Some("../..")));
        }
        entries.push(("link", kind, b"", Some(target)));
        tar_with(&a, &entries);
        assert_eq!(s.refused(&a, &limits), ErrorCode::OutsideProject, "{file}");
        assert_eq!(
            std::fs::read(s.base().join("victim.txt")).unwrap(),
            b"do not touch"
        );
        std::fs::remove_file(&a).unwrap();
    }
    // A link that stays inside is fine, but later entries may not be written through it.
    let through = s.archive("through.tar");
    tar_with(
        &through,
        &[
            ("a/file.txt", tar::EntryType::Regular, b"x", None),
            ("link", tar::EntryType::Symlink, b"", Some("a")),
            ("link/evil.txt", tar::EntryType::Regular, b"pwned", None),
        ],
    );
    assert_eq!(s.refused(&through, &limits), ErrorCode::InvalidInput);
    // Control: the same links without the write-through import fine.
    let fine = s.archive("fine.tar");
    tar_with(
        &fine,
        &[
            ("a/b/file.txt", tar::EntryType::Regular, b"x", None),
            ("a/b/p", tar::EntryType::Symlink, b"", Some("../..")),
            ("link", tar::EntryType::Symlink, b"", Some("a/b/p/a")),
            ("hard", tar::EntryType::Link, b"", Some("a/b/file.txt")),
        ],
    );
    import_archive(&fine, &s.dest(), &limits).unwrap();
    assert_eq!(
        std::fs::read(s.dest().join("link/b/file.txt")).unwrap(),
        b"x"
    );
    assert_eq!(std::fs::read(s.dest().join("hard")).unwrap(), b"x");
    std::fs::remove_dir_all(s.dest()).unwrap();
    // Zip symlink entry pointing out.
    let z = s.archive("sym.zip");
    let mut zw = zip::ZipWriter::new(std::fs::File::create(&z).unwrap());
    zw.add_symlink("link", "../../victim.txt", SimpleFileOptions::default())
        .unwrap();
    zw.finish().unwrap();
    assert_eq!(s.refused(&z, &limits), ErrorCode::OutsideProject);
}

#[test]
fn bombs_are_refused_by_ratio_total_size_and_entry_count() {
    let s = Scene::new();
    let limits = ArchiveLimits::default();
    // 40 MB of zeros deflates to ~40 KB: a ratio of ~1000.
    let ratio = s.archive("ratio.zip");
    zip_with(&ratio, &[("zeros.bin", &vec![0u8; 40 * 1024 * 1024])]);
    assert_eq!(s.refused(&ratio, &limits), ErrorCode::TooLarge);
    // The same for a tar.gz as a whole.
    let tgz = s.archive("ratio.tgz");
    {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&tgz).unwrap(),
            flate2::Compression::best(),
        );
        let mut b = tar::Builder::new(gz);
        let data = vec![0u8; 40 * 1024 * 1024];
        b.append(
            &tar_header(
                "zeros.bin",
                tar::EntryType::Regular,
                data.len() as u64,
                None,
            ),
            &data[..],
        )
        .unwrap();
        b.into_inner().unwrap().finish().unwrap();
    }
    assert_eq!(s.refused(&tgz, &limits), ErrorCode::TooLarge);
    // Total size: incompressible data over a small cap.
    let total = s.archive("total.tar");
    let noise: Vec<u8> = (0..3 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    tar_with(
        &total,
        &[
            ("a.bin", tar::EntryType::Regular, &noise, None),
            ("b.bin", tar::EntryType::Regular, &noise, None),
        ],
    );
    let small = ArchiveLimits {
        max_total_bytes: 4 * 1024 * 1024,
        ..limits
    };
    assert_eq!(s.refused(&total, &small), ErrorCode::TooLarge);
    // Entry count.
    let many = s.archive("many.zip");
    let names: Vec<String> = (0..50).map(|i| format!("f{i}.txt")).collect();
    zip_with(
        &many,
        &names
            .iter()
            .map(|n| (n.as_str(), &b"x"[..]))
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        s.refused(
            &many,
            &ArchiveLimits {
                max_entries: 20,
                ..limits
            }
        ),
        ErrorCode::TooLarge
    );
    // Controls: the same archives pass under limits that allow them.
    import_archive(
        &total,
        &s.dest(),
        &ArchiveLimits {
            max_total_bytes: 7 * 1024 * 1024,
            ..limits
        },
    )
    .unwrap();
    std::fs::remove_dir_all(s.dest()).unwrap();
    import_archive(
        &ratio,
        &s.dest(),
        &ArchiveLimits {
            max_ratio: 5000,
            ..limits
        },
    )
    .unwrap();
    assert_eq!(
        std::fs::metadata(s.dest().join("zeros.bin")).unwrap().len(),
        40 * 1024 * 1024
    );
}

#[test]
fn refuses_existing_dest_and_unknown_formats() {
    let s = Scene::new();
    let a = s.archive("ok.zip");
    zip_with(&a, &[("a.txt", b"a")]);
    std::fs::create_dir(s.dest()).unwrap();
    assert_eq!(
        import_archive(&a, &s.dest(), &ArchiveLimits::default())
            .unwrap_err()
            .code,
        ErrorCode::AlreadyExists
    );
    std::fs::remove_dir(s.dest()).unwrap();
    let junk = s.archive("junk.bin");
    std::fs::write(&junk, b"definitely not an archive").unwrap();
    assert_eq!(
        s.refused(&junk, &ArchiveLimits::default()),
        ErrorCode::InvalidInput
    );
}

#[test]
fn nested_archive_imports_and_export_roundtrips() {
    let s = Scene::new();
    let t = s.archive("nested.tar.gz");
    {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&t).unwrap(),
            flate2::Compression::fast(),
        );
        let mut b = tar::Builder::new(gz);
        for (name, kind, data, link) in [
            ("proj/", tar::EntryType::Directory, &b""[..], None),
            (
                "proj/src/main.rs",
                tar::EntryType::Regular,
                b"fn main() {}\n",
                None,
            ),
            (
                "proj/src/deep/er/x.txt",
                tar::EntryType::Regular,
                b"deep",
                None,
            ),
            ("proj/README.md", tar::EntryType::Regular, b"# hi\n", None),
            (
                "proj/readme_link",
                tar::EntryType::Symlink,
                b"",
                Some("README.md"),
            ),
            (
                "proj/copy.md",
                tar::EntryType::Link,
                b"",
                Some("proj/README.md"),
            ),
        ] {
            b.append(&tar_header(name, kind, data.len() as u64, link), data)
                .unwrap();
        }
        b.into_inner().unwrap().finish().unwrap();
    }
    let report = import_archive(&t, &s.dest(), &ArchiveLimits::default()).unwrap();
    assert_eq!(report.files, 4);
    let proj = s.dest().join("proj");
    assert_eq!(
        std::fs::read(proj.join("src/deep/er/x.txt")).unwrap(),
        b"deep"
    );
    assert_eq!(std::fs::read(proj.join("copy.md")).unwrap(), b"# hi\n");
    #[cfg(unix)]
    assert_eq!(
        std::fs::read_link(proj.join("readme_link")).unwrap(),
        Path::new("README.md")
    );
    let leftovers: Vec<_> = std::fs::read_dir(s.base().join("work"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["dest"], "no staging folder left behind");

    // Export (with ignore rules and a .git folder) and re-import.
    std::fs::write(proj.join(".gitignore"), b"*.log\n").unwrap();
    std::fs::write(proj.join("debug.log"), b"noise").unwrap();
    std::fs::create_dir_all(proj.join(".git")).unwrap();
    std::fs::write(proj.join(".git/HEAD"), b"ref").unwrap();
    let root = ProjectRoot::open(&proj).unwrap();
    // The output inside the project is written but not included in itself.
    let out = proj.join("export.zip");
    let rep = export_zip(&root, &out).unwrap();
    assert!(out.is_file());
    let back = s.base().join("work/back");
    import_archive(&out, &back, &ArchiveLimits::default()).unwrap();
    let mut expected: Vec<_> = snapshot(&proj)
        .into_iter()
        .filter(|(p, _)| {
            let s = p.to_string_lossy();
            !s.starts_with(".git") || s == ".gitignore"
        })
        .filter(|(p, _)| !p.ends_with("debug.log") && !p.ends_with("export.zip"))
        .filter(|(p, c)| !(c.is_empty() && proj.join(p).is_dir()))
        .map(|(p, c)| {
            let c = if p.ends_with("readme_link") {
                b"# hi\n".to_vec()
            } else {
                c
            };
            (p, c)
        })
        .collect();
    expected.sort();
    let got: Vec<_> = snapshot(&back)
        .into_iter()
        .filter(|(p, _)| !back.join(p).is_dir())
        .collect();
    assert_eq!(got, expected);
    assert_eq!(rep.files as usize, expected.len());
}
