//! What every command receives.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use aura_app::App;

pub struct AppState {
    pub app: Arc<App>,
    /// When the process started, for the start-up timing the UI reports back.
    pub started: Instant,
    /// A folder named on the command line (`aura-desktop FOLDER`), opened at start.
    pub open_path: Option<PathBuf>,
    /// A file named on the command line, opened in that folder's project.
    pub open_file: Option<PathBuf>,
    pub close: Arc<CloseGuard>,
}

/// The close handshake: a close request is held back until the page confirms, unless the
/// page does not answer at all (crashed or still loading), so the user can never be
/// trapped in a window that will not close.
#[derive(Debug, Default)]
pub struct CloseGuard {
    pub acked: AtomicBool,
    pub confirmed: AtomicBool,
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}
