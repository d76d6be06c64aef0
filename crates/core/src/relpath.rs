//! Project-relative paths as they cross the IPC boundary.
//!
//! A [`RelPath`] is purely lexical: it proves the string cannot name anything above the
//! project root by itself. Symlinks are the file system's business and are checked by
//! `aura-fs` when the path is resolved against a real root.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{Error, ErrorCode};

/// A normalized path relative to a project root: components joined by `/`, none of them
/// empty, `.` or `..`; no leading `/`, no backslash, no NUL, no drive prefix. The empty
/// path names the root itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(try_from = "String", into = "String")]
pub struct RelPath(String);

impl RelPath {
    /// The project root.
    pub fn root() -> Self {
        Self(String::new())
    }

    /// Validates `s`. A trailing `/` and `./` segments are tolerated and dropped (users
    /// type them); everything that could leave the root is refused with `OutsideProject`.
    pub fn new(s: &str) -> crate::Result<Self> {
        let outside = |why: &str| Error::new(ErrorCode::OutsideProject, format!("{s:?}: {why}"));
        if s.contains('\0') {
            return Err(Error::invalid(format!("{s:?}: path contains a NUL byte")));
        }
        if s.contains('\\') {
            return Err(outside("backslashes are not path separators here"));
        }
        if s.starts_with('/') {
            return Err(outside("absolute paths are not allowed"));
        }
        let bytes = s.as_bytes();
        if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
            return Err(outside("drive-letter paths are not allowed"));
        }
        let mut parts: Vec<&str> = Vec::new();
        for part in s.split('/') {
            match part {
                "" | "." => continue,
                ".." => return Err(outside("'..' is not allowed")),
                p => parts.push(p),
            }
        }
        Ok(Self(parts.join("/")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The last component, or `""` for the root.
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or("")
    }

    /// The containing folder; `None` for the root.
    pub fn parent(&self) -> Option<RelPath> {
        if self.is_root() {
            return None;
        }
        Some(match self.0.rfind('/') {
            Some(i) => Self(self.0[..i].to_owned()),
            None => Self::root(),
        })
    }

    /// Appends one file name. The name must be a single valid component.
    pub fn join(&self, name: &str) -> crate::Result<RelPath> {
        validate_name(name)?;
        Ok(if self.is_root() {
            Self(name.to_owned())
        } else {
            Self(format!("{}/{name}", self.0))
        })
    }

    pub fn components(&self) -> impl Iterator<Item = &str> {
        self.0.split('/').filter(|c| !c.is_empty())
    }

    /// Whether `self` is `other` or lies inside it.
    pub fn starts_with(&self, other: &RelPath) -> bool {
        other.is_root()
            || self.0 == other.0
            || (self.0.starts_with(&other.0) && self.0.as_bytes().get(other.0.len()) == Some(&b'/'))
    }

    /// Joins onto a real directory (no file-system access, no confinement check).
    pub fn to_path(&self, root: &Path) -> PathBuf {
        let mut p = root.to_path_buf();
        p.extend(self.components());
        p
    }

    /// Converts a real path under `root` back into a `RelPath`.
    pub fn from_path(root: &Path, path: &Path) -> crate::Result<RelPath> {
        let rel = path.strip_prefix(root).map_err(|_| {
            Error::new(
                ErrorCode::OutsideProject,
                format!("{} is outside the project", path.display()),
            )
        })?;
        let s = rel.to_str().ok_or_else(|| {
            Error::invalid(format!("{}: path is not valid UTF-8", path.display()))
        })?;
        Self::new(s)
    }
}

/// Checks a single file or folder name as typed by a user (new file, rename).
pub fn validate_name(name: &str) -> crate::Result<()> {
    if name.is_empty() || name == "." || name == ".." {
        return Err(Error::invalid(format!("{name:?} is not a valid name")));
    }
    if name.contains(['/', '\\', '\0']) {
        return Err(Error::invalid(format!(
            "{name:?}: a name cannot contain '/', '\\' or NUL"
        )));
    }
    if name.len() > 255 {
        return Err(Error::invalid("a name cannot be longer than 255 bytes"));
    }
    Ok(())
}

impl TryFrom<String> for RelPath {
    type Error = Error;
    fn try_from(s: String) -> crate::Result<Self> {
        Self::new(&s)
    }
}

impl From<RelPath> for String {
    fn from(p: RelPath) -> String {
        p.0
    }
}

impl std::fmt::Display for RelPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_root() { "." } else { &self.0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_harmless_forms() {
        assert_eq!(RelPath::new("a/./b/").unwrap().as_str(), "a/b");
        assert_eq!(RelPath::new("").unwrap(), RelPath::root());
        assert_eq!(RelPath::new("./").unwrap(), RelPath::root());
        assert_eq!(RelPath::new("a//b").unwrap().as_str(), "a/b");
    }

    #[test]
    fn refuses_everything_that_leaves_the_root() {
        for bad in [
            "..",
            "../x",
            "a/../../x",
            "a/..",
            "/etc/passwd",
            "a\\..\\b",
            "C:/x",
            "c:x",
        ] {
            let err = RelPath::new(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::OutsideProject, "{bad}");
        }
        assert_eq!(
            RelPath::new("a\0b").unwrap_err().code,
            ErrorCode::InvalidInput
        );
    }

    #[test]
    fn deserializing_validates() {
        let ok: RelPath = serde_json::from_str("\"src/main.rs\"").unwrap();
        assert_eq!(ok.file_name(), "main.rs");
        assert!(serde_json::from_str::<RelPath>("\"../x\"").is_err());
    }

    #[test]
    fn parent_join_and_prefix() {
        let p = RelPath::new("src/lib/mod.rs").unwrap();
        assert_eq!(p.parent().unwrap().as_str(), "src/lib");
        assert_eq!(
            RelPath::new("a").unwrap().parent().unwrap(),
            RelPath::root()
        );
        assert_eq!(RelPath::root().parent(), None);
        assert_eq!(RelPath::root().join("x").unwrap().as_str(), "x");
        assert!(RelPath::root().join("../x").is_err());
        assert!(p.starts_with(&RelPath::new("src").unwrap()));
        assert!(
            !RelPath::new("srcx/a")
                .unwrap()
                .starts_with(&RelPath::new("src").unwrap())
        );
    }

    #[test]
    fn from_path_roundtrip() {
        let root = Path::new("/p");
        let rel = RelPath::from_path(root, Path::new("/p/a/b.txt")).unwrap();
        assert_eq!(rel.as_str(), "a/b.txt");
        assert_eq!(rel.to_path(root), PathBuf::from("/p/a/b.txt"));
        assert!(RelPath::from_path(root, Path::new("/q/a")).is_err());
    }
}
