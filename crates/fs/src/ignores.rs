//! Ignore rules for one folder at a time: `.gitignore` and `.ignore` of every folder from
//! the root down, plus `.git/info/exclude`. Git's own walker does the same; we need it per
//! folder because the explorer lists lazily and the watcher judges single paths.
//!
//! `.gitignore` applies even without a `.git` folder: a freshly unpacked project should
//! hide its `target/` too.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use aura_core::RelPath;
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Per-folder ignore files, in the order of increasing precedence.
const IGNORE_FILES: [&str; 2] = [".gitignore", ".ignore"];

/// Whether a file name is one of the files that changes the rules.
pub(crate) fn is_ignore_file(name: &str) -> bool {
    IGNORE_FILES.contains(&name) || name == "exclude"
}

/// A cache of parsed ignore files under one root.
pub(crate) struct IgnoreRules {
    root: PathBuf,
    per_dir: HashMap<PathBuf, Option<Arc<Gitignore>>>,
    exclude: Option<Arc<Gitignore>>,
}

/// The matchers that apply to the entries of one folder, deepest first.
pub(crate) struct FolderRules(Vec<Arc<Gitignore>>);

impl FolderRules {
    /// Git semantics: the deepest file with an opinion wins; a folder excluded higher up
    /// excludes everything below it.
    pub(crate) fn is_ignored(&self, abs: &Path, is_dir: bool) -> bool {
        for m in &self.0 {
            match m.matched_path_or_any_parents(abs, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }
}

impl IgnoreRules {
    pub(crate) fn new(root: &Path) -> Self {
        let mut rules = Self {
            root: root.to_path_buf(),
            per_dir: HashMap::new(),
            exclude: None,
        };
        rules.reload_exclude();
        rules
    }

    fn reload_exclude(&mut self) {
        let path = self.root.join(".git").join("info").join("exclude");
        self.exclude = build(&self.root, &[path]);
    }

    /// Forgets everything parsed; called when an ignore file changes.
    pub(crate) fn clear(&mut self) {
        self.per_dir.clear();
        self.reload_exclude();
    }

    /// The rules for entries of the folder `dir` (relative to the root).
    pub(crate) fn for_folder(&mut self, dir: &RelPath) -> FolderRules {
        let mut chain = Vec::new();
        let mut abs = self.root.clone();
        let mut dirs = vec![abs.clone()];
        for c in dir.components() {
            abs.push(c);
            dirs.push(abs.clone());
        }
        for d in dirs.into_iter().rev() {
            let m = self
                .per_dir
                .entry(d.clone())
                .or_insert_with(|| build(&d, &IGNORE_FILES.map(|f| d.join(f))))
                .clone();
            chain.extend(m);
        }
        chain.extend(self.exclude.clone());
        FolderRules(chain)
    }

    /// Whether the path itself (or a folder above it) is ignored.
    pub(crate) fn is_ignored(&mut self, rel: &RelPath, is_dir: bool) -> bool {
        let Some(parent) = rel.parent() else {
            return false;
        };
        self.for_folder(&parent)
            .is_ignored(&rel.to_path(&self.root), is_dir)
    }
}

fn build(dir: &Path, files: &[PathBuf]) -> Option<Arc<Gitignore>> {
    let existing: Vec<&PathBuf> = files.iter().filter(|f| f.is_file()).collect();
    if existing.is_empty() {
        return None;
    }
    let mut b = GitignoreBuilder::new(dir);
    for f in existing {
        if let Some(err) = b.add(f) {
            // A bad line must not hide the whole tree; the good lines still apply.
            tracing::debug!(file = %f.display(), %err, "ignore file has invalid lines");
        }
    }
    match b.build() {
        Ok(g) if !g.is_empty() => Some(Arc::new(g)),
        Ok(_) => None,
        Err(err) => {
            tracing::warn!(dir = %dir.display(), %err, "could not build ignore rules");
            None
        }
    }
}
