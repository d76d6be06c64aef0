//! WebKit settings that cut the window's idle memory (Linux).
//!
//! Measured under Xvfb with a project open (scripts/bench/startup): accelerated
//! compositing alone cost the web process about 80 MB PSS (GL buffers and the software GL
//! driver) for no visible gain in an editor; a document-viewer cache model and no page
//! cache keep WebKit from holding decoded resources we never navigate back to. WebGL and
//! Web Audio are unused. `AURA_WEBKIT_COMPOSITING=1` turns compositing back on (e.g. to
//! compare scrolling on a machine with a real GPU).

/// Applies the settings to a window's webview; failures are logged, never fatal.
pub(crate) fn tune(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        let compositing = std::env::var_os("AURA_WEBKIT_COMPOSITING").is_some_and(|v| v == "1");
        let result = window.with_webview(move |wv| linux::apply(&wv.inner(), compositing));
        if let Err(e) = result {
            tracing::warn!(error = %e, "webview settings not applied");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

#[cfg(target_os = "linux")]
mod linux {
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt as _, WebContextExt as _,
        WebViewExt as _,
    };

    pub(super) fn apply(view: &webkit2gtk::WebView, compositing: bool) {
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        let Some(settings) = view.settings() else {
            tracing::warn!("the webview has no settings object");
            return;
        };
        if !compositing {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
        settings.set_enable_page_cache(false);
        settings.set_enable_webgl(false);
        settings.set_enable_webaudio(false);
        tracing::debug!(compositing, "webview settings applied");
    }
}
