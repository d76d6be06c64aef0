//! Remembers our own writes for a moment so the watcher does not report them back to the
//! editor that made them (which would flash "file changed on disk" after every save).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::FileVersion;

/// Long enough to cover the debounce and a busy machine, short enough that a real
/// external change made right after a save is not swallowed for long.
const ECHO_WINDOW: Duration = Duration::from_secs(2);

#[derive(Debug, Default)]
pub struct EchoFilter {
    writes: Mutex<HashMap<PathBuf, (FileVersion, Instant)>>,
}

impl EchoFilter {
    /// Records that we just wrote `version` to `path` (an absolute, resolved path).
    pub fn record(&self, path: &Path, version: FileVersion) {
        let now = Instant::now();
        let mut map = self.writes.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, (_, at)| now.duration_since(*at) < ECHO_WINDOW);
        map.insert(path.to_path_buf(), (version, now));
    }

    /// Whether an event on `path` is only the echo of our own write: recorded recently and
    /// the file still holds exactly what we wrote. Hashing the file is the price for never
    /// hiding an external change that happened to land in the same window.
    pub fn is_echo(&self, path: &Path) -> bool {
        let expected = {
            let map = self.writes.lock().unwrap_or_else(|p| p.into_inner());
            match map.get(path) {
                Some((v, at)) if at.elapsed() < ECHO_WINDOW => v.clone(),
                _ => return false,
            }
        };
        match std::fs::read(path) {
            Ok(bytes) => FileVersion::of(&bytes) == expected,
            Err(_) => false,
        }
    }
}
