//! What every command receives.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use aura_app::App;

pub struct AppState {
    pub app: Arc<App>,
    /// When the process started, for the start-up timing the UI reports back.
    pub started: Instant,
    /// A folder named on the command line (`aura-desktop FOLDER`), opened at start.
    pub open_path: Option<PathBuf>,
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}
