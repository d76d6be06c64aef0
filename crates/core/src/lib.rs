//! aura-core: the shared vocabulary of Aura.
//!
//! Every other crate speaks in these types: [`ErrorCode`] and [`Error`] (what crosses the
//! IPC boundary as `{code, message}`), [`RelPath`] (a validated project-relative path),
//! [`ProjectId`], the [`settings`] model with its validation, the [`paths`] of Aura's
//! config/data/cache/log dirs (with the `AURA_HOME` override), and [`language`] detection.
//!
//! This crate does no I/O beyond reading environment variables, so it is cheap to depend on
//! and trivial to test.

pub mod error;
pub mod ids;
pub mod language;
pub mod paths;
pub mod relpath;
pub mod settings;

pub use error::{Error, ErrorCode, Result};
pub use ids::ProjectId;
pub use relpath::RelPath;
