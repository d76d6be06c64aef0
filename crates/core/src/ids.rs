//! Identifiers.

use serde::{Deserialize, Serialize};
use specta::Type;

/// A project's stable id: 32 lowercase hex digits (a v4 UUID without dashes), assigned
/// when the project enters the registry. Used in the database, in per-project data dirs
/// (`index/<id>/`) and in event names, so it must be safe in a file name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct ProjectId(String);

impl ProjectId {
    /// Accepts only the canonical form, so an id read from IPC can be used in a path.
    pub fn parse(s: &str) -> crate::Result<Self> {
        if s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(Self(s.to_owned()))
        } else {
            Err(crate::Error::invalid(format!("not a project id: {s:?}")))
        }
    }

    /// Wraps a freshly generated hex string; callers pass `uuid::Uuid::simple()` output.
    pub fn from_generated(hex: String) -> crate::Result<Self> {
        Self::parse(&hex)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ProjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_hex_is_accepted() {
        assert!(ProjectId::parse("0123456789abcdef0123456789abcdef").is_ok());
        for bad in [
            "",
            "../etc",
            "0123456789ABCDEF0123456789ABCDEF",
            "0123456789abcdef0123456789abcde/",
        ] {
            assert!(ProjectId::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
