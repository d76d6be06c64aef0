//! aura-desktop: Aura's window. The only crate that knows Tauri.
//!
//! It starts the app layer, exposes it to the page as typed commands (thin: validate, call
//! `aura_app`, return `{code, message}` errors) and forwards core events to the page.

// Release builds on Windows must not open a console next to the window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;
mod events;
mod state;
mod stream;
mod webview;

use std::sync::Arc;

use anyhow::Context as _;
use tauri::Manager as _;
use tauri_specta::Event as _;

fn main() {
    // Sandboxed runs re-run this binary in helper mode; it must start before any thread.
    aura_app::exec::run_sandbox_helper_if_requested();
    if let Err(e) = run() {
        tracing::error!("{e:#}");
        // Logging may not be up yet (it starts with the app layer): say it on stderr too.
        #[allow(clippy::print_stderr, reason = "last resort when the app cannot start")]
        {
            eprintln!("aura: {e:#}");
        }
        std::process::exit(1);
    }
}

fn run() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // `aura-desktop FOLDER [FILE]` opens that folder (and file), like `code FOLDER FILE`;
    // a FILE alone opens its folder. Flags are Tauri's or WebDriver's business and are
    // skipped.
    let args: Vec<std::path::PathBuf> = std::env::args_os()
        .skip(1)
        .map(std::path::PathBuf::from)
        .collect();
    let open_file = args.iter().find(|p| p.is_file()).cloned();
    let open_path = args.iter().find(|p| p.is_dir()).cloned().or_else(|| {
        open_file
            .as_ref()
            .and_then(|f| f.parent().map(|d| d.to_path_buf()))
    });
    let app = Arc::new(aura_app::App::start_from_env().context("starting Aura")?);
    let settings = app.settings();
    let _log = aura_app::logging::init(&app.dirs().logs, "aura", &settings.log.level, "warn");
    // Milliseconds since `main` on the start-up lines: the timeline `ui ready` completes.
    let ms = |t: std::time::Instant| format!("{:.1}", t.elapsed().as_secs_f64() * 1000.0);
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        ms = ms(started),
        "Aura starting"
    );

    let specta = bindings::builder();
    // The terminal stream's port is bound now so that the page's policy can name it.
    let streams = stream::Streams::bind().unwrap_or_else(|e| {
        tracing::error!(error = %e, "no loopback port for terminal output; terminals will not open");
        stream::Streams::unavailable(format!("no loopback port for terminal output: {e}"))
    });
    let mut context = tauri::generate_context!("../tauri.conf.json");
    if let Some(source) = streams.csp_source() {
        allow_stream(&mut context, &source);
    }
    let listener_app = Arc::clone(&app);
    let exit_app = Arc::clone(&app);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                hold_close(window, api);
            }
        })
        .invoke_handler(specta.invoke_handler())
        .setup(move |tauri_app| {
            specta.mount_events(tauri_app);
            if let Some(window) = tauri_app.get_webview_window("main") {
                webview::tune(&window);
            }
            let handle = tauri_app.handle().clone();
            commands::search::forward_progress(&listener_app, &handle);
            listener_app.set_fs_listener(Arc::new(move |project, events| {
                let batch = events::FsBatch {
                    project_id: project.to_string(),
                    events,
                };
                if let Err(e) = batch.emit(&handle) {
                    tracing::warn!(error = %e, "file events not delivered to the window");
                }
            }));
            tracing::info!(ms = ms(started), "window set up");
            tauri_app.manage(streams);
            tauri_app.manage(state::AppState {
                app: listener_app,
                started,
                open_path,
                open_file,
                close: Arc::default(),
            });
            Ok(())
        })
        .build(context)
        .context("building the window")?
        .run(move |_, event| {
            // Tauri exits the process after this: no destructor would end the children.
            if let tauri::RunEvent::Exit = event {
                exit_app.exec_shutdown();
            }
        });
    Ok(())
}

/// How long the page has to answer a close request before the window closes anyway.
const CLOSE_ACK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Holds a close request back and asks the page, which knows about unsaved files.
fn hold_close(window: &tauri::Window, api: &tauri::CloseRequestApi) {
    use std::sync::atomic::Ordering;
    let Some(state) = window.try_state::<state::AppState>() else {
        return;
    };
    if state.close.confirmed.load(Ordering::SeqCst) {
        return;
    }
    api.prevent_close();
    state.close.acked.store(false, Ordering::SeqCst);
    if let Err(e) = events::CloseRequested.emit(window) {
        tracing::warn!(error = %e, "close request not delivered; closing");
        let _ = window.destroy();
        return;
    }
    let guard = Arc::clone(&state.close);
    let window = window.clone();
    std::thread::spawn(move || {
        std::thread::sleep(CLOSE_ACK_TIMEOUT);
        if !guard.acked.load(Ordering::SeqCst) {
            tracing::warn!("the page did not answer the close request; closing");
            guard.confirmed.store(true, Ordering::SeqCst);
            let _ = window.destroy();
        }
    });
}

/// Adds the terminal stream's source to the page's `connect-src` (tauri.conf.json cannot
/// know the port).
fn allow_stream(context: &mut tauri::Context<tauri::Wry>, source: &str) {
    use tauri::utils::config::Csp;
    let security = &mut context.config_mut().app.security;
    for csp in [&mut security.csp, &mut security.dev_csp]
        .into_iter()
        .flatten()
    {
        *csp = Csp::Policy(stream::csp_with_source(&csp.to_string(), source));
    }
}
