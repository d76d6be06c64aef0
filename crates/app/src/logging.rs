//! Logging for the binaries: `tracing` to a daily-rolling file in the log dir and to
//! stderr. No file content and no secret is ever passed to a log macro.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt;
use tracing_subscriber::prelude::*;

/// Keeps the file writer flushing; drop it only at exit.
#[derive(Debug)]
pub struct LogGuard {
    _file: Option<WorkerGuard>,
}

/// Installs the global subscriber. `level` is the settings' `log.level`, overridden by
/// `AURA_LOG` when set. `stderr_level` caps what reaches the terminal (the CLI keeps its
/// stderr for the user). Safe to call twice (the second call does nothing).
pub fn init(log_dir: &Path, file_prefix: &str, level: &str, stderr_level: &str) -> LogGuard {
    let filter = std::env::var("AURA_LOG").unwrap_or_else(|_| level.to_owned());
    let file_layer = std::fs::create_dir_all(log_dir).ok().map(|()| {
        let appender = tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix(file_prefix)
            .filename_suffix("log")
            .max_log_files(7)
            .build(log_dir);
        appender.ok().map(tracing_appender::non_blocking)
    });
    let (file_writer, guard) = match file_layer.flatten() {
        Some((w, g)) => (Some(w), Some(g)),
        None => (None, None),
    };
    let file = file_writer.map(|w| {
        fmt::layer()
            .with_ansi(false)
            .with_writer(w)
            .with_filter(EnvFilter::new(&filter))
    });
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(EnvFilter::new(stderr_level));
    let _ = tracing_subscriber::registry()
        .with(file)
        .with(stderr)
        .try_init();
    LogGuard { _file: guard }
}
