//! Thin commands, grouped by domain: validate, call one `aura_app` function, return its
//! `{code, message}` error unchanged. Blocking work runs off the main thread (`async`).

pub mod ai;
pub mod app;
pub mod dialog;
pub mod exec;
pub mod fs;
pub mod project;
pub mod search;
pub mod semantic;
pub mod window;
