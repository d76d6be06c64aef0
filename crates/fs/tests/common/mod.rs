//! Shared helpers for the integration tests: real temp folders, no mocks.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use aura_core::RelPath;
use aura_fs::ProjectRoot;

pub fn rel(s: &str) -> RelPath {
    RelPath::new(s).expect("test paths are valid")
}

/// A temp dir holding `project/` (the root) and `outside/` (must never be touched).
pub struct Fixture {
    pub tmp: tempfile::TempDir,
    pub root: ProjectRoot,
}

impl Fixture {
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(tmp.path().join("project")).expect("mkdir project");
        std::fs::create_dir(tmp.path().join("outside")).expect("mkdir outside");
        let root = ProjectRoot::open(&tmp.path().join("project")).expect("open root");
        Self { tmp, root }
    }

    pub fn p(&self, rel: &str) -> PathBuf {
        self.root.path().join(rel)
    }

    pub fn outside(&self) -> PathBuf {
        std::fs::canonicalize(self.tmp.path().join("outside")).expect("outside exists")
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.p(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir -p");
        }
        std::fs::write(p, bytes).expect("write fixture file");
    }
}

/// Every file (relative path, bytes) under `dir`, for "nothing changed" assertions.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let e = e.expect("entry");
            let ft = e.file_type().expect("file type");
            let rel = e.path().strip_prefix(dir).expect("under dir").to_path_buf();
            if ft.is_dir() {
                stack.push(e.path());
                out.push((rel, Vec::new()));
            } else if ft.is_symlink() {
                out.push((
                    rel,
                    std::fs::read_link(e.path())
                        .expect("link")
                        .into_os_string()
                        .into_encoded_bytes(),
                ));
            } else {
                out.push((rel, std::fs::read(e.path()).expect("read")));
            }
        }
    }
    out.sort();
    out
}
