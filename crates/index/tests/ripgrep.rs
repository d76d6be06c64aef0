//! Our search results equal ripgrep's on real code: a few crates from the cargo registry
//! (plus files with odd encodings), literal and regex queries, with case-insensitive and
//! whole-word variants. `rg` must be installed; set `AURA_SKIP_RG=1` to skip knowingly.

// Test code: a broken fixture should panic with its message.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use aura_fs::ProjectRoot;
use aura_index::{IndexOptions, IndexState, ProjectIndex, SearchQuery};

/// (path, line, start byte, end byte)
type Hits = BTreeSet<(String, u32, u32, u32)>;

fn registry_crate(prefix: &str) -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let src = home.join("registry").join("src");
    let mut found: Vec<PathBuf> = std::fs::read_dir(src)
        .ok()?
        .flatten()
        .flat_map(|reg| {
            std::fs::read_dir(reg.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(prefix))
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect();
    found.sort();
    found.pop()
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let ft = entry.file_type().unwrap();
        let dest = to.join(entry.file_name());
        if ft.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_tree(&entry.path(), &dest);
        } else if ft.is_file() {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Real crates (our own dependencies, so they are in any registry that built us), or this
/// workspace's crates when the registry is elsewhere; plus encoding edge cases.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut copied = 0;
    for name in [
        "regex-syntax-",
        "globset-",
        "grep-searcher-",
        "nucleo-matcher-",
    ] {
        if let Some(src) = registry_crate(name) {
            let dest = dir.path().join(src.file_name().unwrap());
            std::fs::create_dir_all(&dest).unwrap();
            copy_tree(&src, &dest);
            copied += 1;
        }
    }
    if copied == 0 {
        let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dest = dir.path().join("crates");
        std::fs::create_dir_all(&dest).unwrap();
        copy_tree(&ws, &dest);
    }
    let edge = dir.path().join("edge");
    std::fs::create_dir_all(&edge).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "fn utf16_impl() -> Result<u8> { unicode café }\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(edge.join("utf16.rs"), utf16).unwrap();
    std::fs::write(
        edge.join("crlf.rs"),
        "impl Foo {\r\n    fn bar() -> u8 { 1 }\r\n}\r\n",
    )
    .unwrap();
    std::fs::write(edge.join("latin1.txt"), b"caf\xe9 impl unicode\n").unwrap();
    std::fs::write(edge.join("bin.dat"), b"impl\0unicode fn x\n").unwrap();
    let mut late_nul = "impl early match\n".repeat(15_000).into_bytes();
    late_nul.extend_from_slice(b"\0impl late\n");
    std::fs::write(edge.join("late_nul.txt"), late_nul).unwrap();
    // A repository, so ripgrep honors .gitignore files the way we always do.
    Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .ok();
    dir
}

fn rg_available() -> bool {
    match Command::new("rg").arg("--version").output() {
        Ok(o) if o.status.success() => true,
        _ => {
            assert!(
                std::env::var_os("AURA_SKIP_RG").is_some(),
                "ripgrep (`rg`) is not installed: install it (apt-get install ripgrep) or set AURA_SKIP_RG=1"
            );
            false
        }
    }
}

fn rg(dir: &Path, q: &SearchQuery) -> Hits {
    let mut cmd = Command::new("rg");
    cmd.current_dir(dir).args([
        "--json",
        "--no-config",
        "--no-require-git",
        "--no-ignore-parent",
        "--no-ignore-global",
        "--max-filesize",
        "1M",
    ]);
    cmd.arg(if q.case_sensitive { "-s" } else { "-i" });
    if q.whole_word {
        cmd.arg("-w");
    }
    if !q.regex {
        cmd.arg("-F");
    }
    cmd.arg("-e").arg(&q.pattern);
    let out = cmd.output().unwrap();
    assert!(
        out.status.code() != Some(2),
        "rg failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut hits = Hits::new();
    for line in out.stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let v: serde_json::Value = serde_json::from_slice(line).unwrap();
        if v["type"] != "match" {
            continue;
        }
        let d = &v["data"];
        let path = d["path"]["text"].as_str().unwrap().to_owned();
        let number = u32::try_from(d["line_number"].as_u64().unwrap()).unwrap();
        for m in d["submatches"].as_array().unwrap() {
            let s = u32::try_from(m["start"].as_u64().unwrap()).unwrap();
            let e = u32::try_from(m["end"].as_u64().unwrap()).unwrap();
            hits.insert((path.clone(), number, s, e));
        }
    }
    hits
}

fn ours(index: &ProjectIndex, q: &SearchQuery) -> (Hits, bool) {
    let mut hits = Hits::new();
    let summary = index
        .search(q, &AtomicBool::new(false), &mut |f| {
            for l in f.match_lines() {
                for r in &l.ranges {
                    hits.insert((f.path.clone(), l.line, r.start_byte, r.end_byte));
                }
            }
        })
        .unwrap();
    assert!(!summary.truncated, "raise max_results for {q:?}");
    (hits, summary.used_index)
}

#[test]
fn results_equal_ripgrep_on_real_code() {
    if !rg_available() {
        return;
    }
    let dir = corpus();
    let home = tempfile::tempdir().unwrap();
    let index = ProjectIndex::open(
        ProjectRoot::open(dir.path()).unwrap(),
        IndexOptions::new(home.path().join("text")),
    )
    .unwrap();
    assert_eq!(
        index.wait_ready(Duration::from_secs(120)).state,
        IndexState::Ready
    );

    let literals = [
        "fn ",
        "impl",
        "pub(crate)",
        "Result<",
        "self.",
        "unicode",
        "HashMap",
        "match ",
        "->",
        "/// ",
        "0x",
        "TODO",
        "early match",
        "café",
    ];
    let regexes = [
        r"fn\s+\w+\(",
        r"impl<[^>]+>",
        r"\bu(8|16|32)\b",
        r"[A-Z][a-z]+Error",
        r"^\s*//",
        r"\d{3,}",
        r"let mut \w+",
        r"(?i)unicode",
        r"\.unwrap\(\)",
        r"\w+::\w+::\w+",
        r"=>\s*\{",
        r"Ok\(\(\)\)$",
    ];
    let mut cases = Vec::new();
    for (i, p) in literals.iter().enumerate() {
        cases.push((p, false, true, false));
        cases.push((p, false, false, false));
        if i % 3 == 0 && p.ends_with(|c: char| c.is_alphanumeric()) {
            cases.push((p, false, true, true));
        }
    }
    for (i, p) in regexes.iter().enumerate() {
        cases.push((p, true, true, false));
        if i % 2 == 0 {
            cases.push((p, true, false, false));
        }
        // Whole-word only where matches begin and end with word characters: ripgrep 14
        // (whose libraries we use) changed `-w` for patterns with non-word edges, and the
        // `rg` on a machine may be older.
        if [2, 5, 6, 7].contains(&i) {
            cases.push((p, true, true, true));
        }
    }
    let mut narrowed = 0;
    for (pattern, regex, case_sensitive, whole_word) in cases {
        let q = SearchQuery {
            pattern: (*pattern).to_owned(),
            regex,
            case_sensitive,
            whole_word,
            max_results: Some(1_000_000),
            ..Default::default()
        };
        let want = rg(dir.path(), &q);
        let (got, used_index) = ours(&index, &q);
        narrowed += usize::from(used_index);
        let missing: Vec<_> = want.difference(&got).take(5).collect();
        let extra: Vec<_> = got.difference(&want).take(5).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{q:?}: {} from rg, {} from us; missing {missing:?}; extra {extra:?}",
            want.len(),
            got.len()
        );
        assert!(
            !want.is_empty() || *pattern == "TODO",
            "{pattern} found nothing at all"
        );
    }
    // Most of these queries have a literal of three or more characters.
    assert!(narrowed >= 30, "only {narrowed} searches used the index");
}
