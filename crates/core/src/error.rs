//! The error shape every layer agrees on.
//!
//! Libraries keep their own `thiserror` enums where callers branch on details, and convert
//! into [`Error`] at the app layer. The UI branches on [`ErrorCode`] only, never on text.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Stable machine-readable error categories. Serialized as the variant name
/// (`"NotFound"`, `"OutsideProject"`, ...), which is what the UI matches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum ErrorCode {
    /// The file, folder or project does not exist.
    NotFound,
    /// The target of a create, rename, copy or import already exists.
    AlreadyExists,
    /// A path escapes the project root (`..`, absolute, symlink out, backslash).
    OutsideProject,
    /// The file changed on disk since the caller read it.
    Conflict,
    /// The file or archive is over a size limit.
    TooLarge,
    /// The file is binary and cannot be edited as text.
    Binary,
    /// The file is text in an encoding Aura does not edit (only UTF-8 and UTF-16 with BOM).
    UnsupportedEncoding,
    /// The caller's input is malformed (bad name, bad setting value, bad archive entry).
    InvalidInput,
    /// The OS refused access.
    PermissionDenied,
    /// The operation was cancelled.
    Cancelled,
    /// The OS sandbox cannot be applied here.
    SandboxUnavailable,
    /// No AI provider could answer.
    ProviderUnavailable,
    /// Local embeddings cannot run here (model or ONNX Runtime missing); the message says
    /// how to fix it. Everything but semantic search still works.
    EmbedderUnavailable,
    /// Any other I/O failure.
    Io,
    /// A bug or an unexpected state; the message says what.
    Internal,
}

impl ErrorCode {
    /// The name as it is serialized, for logs and CLI output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "NotFound",
            Self::AlreadyExists => "AlreadyExists",
            Self::OutsideProject => "OutsideProject",
            Self::Conflict => "Conflict",
            Self::TooLarge => "TooLarge",
            Self::Binary => "Binary",
            Self::UnsupportedEncoding => "UnsupportedEncoding",
            Self::InvalidInput => "InvalidInput",
            Self::PermissionDenied => "PermissionDenied",
            Self::Cancelled => "Cancelled",
            Self::SandboxUnavailable => "SandboxUnavailable",
            Self::ProviderUnavailable => "ProviderUnavailable",
            Self::EmbedderUnavailable => "EmbedderUnavailable",
            Self::Io => "Io",
            Self::Internal => "Internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error as the user sees it: a code to branch on and a message to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, thiserror::Error)]
#[serde(rename = "IpcError")]
#[error("{code}: {message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }

    /// Maps an OS error to the closest code, keeping `context` (usually the path) in the
    /// message so the user knows what failed.
    pub fn from_io(err: &std::io::Error, context: impl std::fmt::Display) -> Self {
        use std::io::ErrorKind as K;
        let code = match err.kind() {
            K::NotFound => ErrorCode::NotFound,
            K::AlreadyExists => ErrorCode::AlreadyExists,
            K::PermissionDenied => ErrorCode::PermissionDenied,
            K::InvalidInput | K::InvalidFilename => ErrorCode::InvalidInput,
            K::FileTooLarge => ErrorCode::TooLarge,
            _ => ErrorCode::Io,
        };
        Self::new(code, format!("{context}: {err}"))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let e = Error::new(ErrorCode::OutsideProject, "no");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "OutsideProject", "message": "no"})
        );
    }

    #[test]
    fn io_kinds_map_to_codes() {
        let nf = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(Error::from_io(&nf, "a.txt").code, ErrorCode::NotFound);
        let pd = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = Error::from_io(&pd, "b.txt");
        assert_eq!(e.code, ErrorCode::PermissionDenied);
        assert!(e.message.starts_with("b.txt: "));
    }
}
