//! Reading and writing text: encodings, limits, conflicts.

// Helpers outside #[test] fns panic on failure by design; timings are reported on stderr.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::time::Instant;

use aura_core::ErrorCode;
use aura_fs::{Encoding, FileVersion, LineEnding, READ_ONLY_CAP, ReadOptions, WriteMode};
use common::{Fixture, rel};

const EDIT: ReadOptions = ReadOptions {
    max_edit_bytes: 20 * 1024 * 1024,
    read_only: false,
};

#[test]
fn stale_version_is_a_conflict_and_leaves_the_disk_alone() {
    let f = Fixture::new();
    f.write("a.txt", b"original\n");
    let loaded = f.root.read_text(&rel("a.txt"), &EDIT).unwrap();
    assert_eq!(loaded.version, FileVersion::of(b"original\n"));
    // Someone else saves in between.
    f.write("a.txt", b"theirs\n");
    let before = std::fs::read(f.p("a.txt")).unwrap();
    let err = f
        .root
        .write_text(
            &rel("a.txt"),
            "mine\n",
            Encoding::Utf8,
            WriteMode::IfVersion(loaded.version.clone()),
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert_eq!(std::fs::read(f.p("a.txt")).unwrap(), before);
    assert_eq!(temp_files(&f), 0, "a refused save leaves no temp file");

    // Control: with the version that is on disk now, the save goes through.
    let current = f.root.read_text(&rel("a.txt"), &EDIT).unwrap().version;
    let v = f
        .root
        .write_text(
            &rel("a.txt"),
            "mine\n",
            Encoding::Utf8,
            WriteMode::IfVersion(current),
        )
        .unwrap();
    assert_eq!(std::fs::read(f.p("a.txt")).unwrap(), b"mine\n");
    assert_eq!(v, FileVersion::of(b"mine\n"));

    // A deleted file is a conflict too, and nothing is recreated.
    std::fs::remove_file(f.p("a.txt")).unwrap();
    let err = f
        .root
        .write_text(&rel("a.txt"), "x", Encoding::Utf8, WriteMode::IfVersion(v))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(!f.p("a.txt").exists());
}

#[test]
fn create_new_refuses_existing_and_overwrite_keeps_permissions() {
    let f = Fixture::new();
    f.write("a.txt", b"keep");
    let err = f
        .root
        .write_text(&rel("a.txt"), "x", Encoding::Utf8, WriteMode::CreateNew)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AlreadyExists);
    assert_eq!(std::fs::read(f.p("a.txt")).unwrap(), b"keep");
    f.root
        .write_text(
            &rel("new.txt"),
            "fresh",
            Encoding::Utf8,
            WriteMode::CreateNew,
        )
        .unwrap();
    assert_eq!(std::fs::read(f.p("new.txt")).unwrap(), b"fresh");
    // Missing folder: NotFound, nothing created.
    let err = f
        .root
        .write_text(
            &rel("no/such.txt"),
            "x",
            Encoding::Utf8,
            WriteMode::Overwrite,
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.write("run.sh", b"#!/bin/sh\n");
        std::fs::set_permissions(f.p("run.sh"), std::fs::Permissions::from_mode(0o751)).unwrap();
        f.root
            .write_text(
                &rel("run.sh"),
                "#!/bin/sh\necho hi\n",
                Encoding::Utf8,
                WriteMode::Overwrite,
            )
            .unwrap();
        let mode = std::fs::metadata(f.p("run.sh"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o751);
    }
}

#[test]
fn a_huge_file_is_refused_for_editing_from_metadata_and_opens_read_only_truncated() {
    let f = Fixture::new();
    let file = std::fs::File::create(f.p("huge.log")).unwrap();
    file.set_len(1024 * 1024 * 1024).unwrap(); // sparse: no gigabyte is written
    let t0 = Instant::now();
    let err = f.root.read_text(&rel("huge.log"), &EDIT).unwrap_err();
    assert_eq!(err.code, ErrorCode::TooLarge);
    assert!(
        t0.elapsed().as_millis() < 500,
        "refused without reading: {:?}",
        t0.elapsed()
    );

    // Read-only view of a big text file: capped and flagged.
    let big = "line of log text\n".repeat(700_000); // ~11.9 MB, over the 8 MiB cap
    std::fs::write(f.p("big.log"), &big).unwrap();
    let small_limit = ReadOptions {
        max_edit_bytes: 1024 * 1024,
        read_only: false,
    };
    assert_eq!(
        f.root
            .read_text(&rel("big.log"), &small_limit)
            .unwrap_err()
            .code,
        ErrorCode::TooLarge
    );
    let view = f
        .root
        .read_text(
            &rel("big.log"),
            &ReadOptions {
                read_only: true,
                ..small_limit
            },
        )
        .unwrap();
    assert!(view.truncated && view.read_only);
    assert_eq!(view.text.len() as u64, READ_ONLY_CAP);
    assert_eq!(view.size, big.len() as u64);
    assert!(big.starts_with(&view.text));
    // The prefix's version can never be used to overwrite the whole file.
    let err = f
        .root
        .write_text(
            &rel("big.log"),
            "oops",
            Encoding::Utf8,
            WriteMode::IfVersion(view.version),
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);

    // The sparse 1 GB file opens read-only too (as binary, since it is all NULs).
    let err = f
        .root
        .read_text(
            &rel("huge.log"),
            &ReadOptions {
                read_only: true,
                ..EDIT
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Binary);
    // Control: same file with text at the start, read-only, truncated.
    let mut text_start = std::fs::OpenOptions::new()
        .write(true)
        .open(f.p("huge.log"))
        .unwrap();
    std::io::Write::write_all(&mut text_start, &b"x\n".repeat(5 * 1024 * 1024)).unwrap();
    drop(text_start);
    let t0 = Instant::now();
    let view = f
        .root
        .read_text(
            &rel("huge.log"),
            &ReadOptions {
                read_only: true,
                ..EDIT
            },
        )
        .unwrap();
    assert!(view.truncated && view.read_only);
    assert_eq!(view.size, 1024 * 1024 * 1024);
    assert!(view.text.len() as u64 <= READ_ONLY_CAP);
    assert!(view.text.starts_with("x\nx\n"));
    assert!(t0.elapsed().as_secs() < 10);
}

#[test]
fn binary_and_legacy_encodings_are_detected() {
    let f = Fixture::new();
    f.write("img.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    f.write("latin1.txt", b"caf\xe9 cr\xe8me\n");
    f.write("ok.txt", "café crème\n".as_bytes());
    f.write("dir/inner.txt", b"x");
    assert_eq!(
        f.root.read_text(&rel("img.bin"), &EDIT).unwrap_err().code,
        ErrorCode::Binary
    );
    let err = f.root.read_text(&rel("latin1.txt"), &EDIT).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnsupportedEncoding);
    assert!(err.message.contains("not valid UTF-8"), "{}", err.message);
    let ok = f.root.read_text(&rel("ok.txt"), &EDIT).unwrap();
    assert_eq!(
        (ok.text.as_str(), ok.encoding, ok.line_ending),
        ("café crème\n", Encoding::Utf8, LineEnding::Lf)
    );
    assert_eq!(
        f.root.read_text(&rel("dir"), &EDIT).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        f.root
            .read_text(&rel("missing.txt"), &EDIT)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
}

#[test]
fn utf16_and_bom_files_roundtrip_byte_identical() {
    let f = Fixture::new();
    let text = "Grüße, 世界 🦀\r\nzweite Zeile\r\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let bom8: Vec<u8> = [0xEF, 0xBB, 0xBF]
        .iter()
        .copied()
        .chain(text.bytes())
        .collect();
    for (name, bytes, enc) in [
        ("le.txt", &le, Encoding::Utf16Le),
        ("be.txt", &be, Encoding::Utf16Be),
        ("bom.txt", &bom8, Encoding::Utf8Bom),
    ] {
        f.write(name, bytes);
        let t = f.root.read_text(&rel(name), &EDIT).unwrap();
        assert_eq!(
            (t.text.as_str(), t.encoding, t.line_ending),
            (text, enc, LineEnding::Crlf),
            "{name}"
        );
        assert_eq!(t.version, FileVersion::of(bytes));
        std::fs::remove_file(f.p(name)).unwrap();
        f.root
            .write_text(&rel(name), &t.text, t.encoding, WriteMode::CreateNew)
            .unwrap();
        assert_eq!(
            &std::fs::read(f.p(name)).unwrap(),
            bytes,
            "{name} written back byte-identical"
        );
    }
}

fn temp_files(f: &Fixture) -> usize {
    std::fs::read_dir(f.root.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count()
}
