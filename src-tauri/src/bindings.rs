//! The typed IPC surface: every command and event, from which the TypeScript bindings in
//! `ui/src/ipc/bindings.ts` are generated. A test regenerates them and fails on drift.

use tauri_specta::{collect_commands, collect_events};

use crate::commands::{ai, app, dialog, exec, fs, project, search, semantic, window};
use crate::events;

pub fn builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            app::app_info,
            app::app_startup,
            app::ui_ready,
            app::settings_get,
            app::settings_set,
            app::settings_reload,
            app::settings_file_read,
            app::settings_file_write,
            project::project_templates,
            project::project_list_recent,
            project::project_create,
            project::project_open,
            project::project_close,
            project::project_forget,
            project::project_update,
            project::project_import,
            project::project_export,
            project::session_load,
            project::session_save,
            project::recent_files,
            fs::fs_list,
            fs::fs_read,
            fs::fs_write,
            fs::fs_create_file,
            fs::fs_create_dir,
            fs::fs_rename,
            fs::fs_copy,
            fs::fs_delete,
            fs::fs_stat,
            search::search_text,
            search::search_cancel,
            search::search_replace_preview,
            search::search_replace_apply,
            search::search_replace_undo,
            search::search_files,
            search::index_status,
            search::index_pause,
            search::index_cancel,
            exec::pty_open,
            exec::pty_write,
            exec::pty_resize,
            exec::pty_ack,
            exec::pty_rename,
            exec::pty_close,
            exec::pty_kill,
            exec::pty_list,
            exec::run_start,
            exec::run_stop,
            exec::sandbox_probe,
            exec::exec_settings_get,
            exec::exec_settings_set,
            semantic::search_semantic,
            semantic::search_symbols,
            semantic::semantic_status,
            semantic::semantic_pause,
            ai::ai_chat,
            ai::ai_cancel,
            ai::ai_chat_list,
            ai::ai_chat_messages,
            ai::ai_chat_delete,
            ai::ai_complete,
            ai::ai_edit_preview,
            ai::ai_edit_from_text,
            ai::ai_edit_apply,
            ai::ai_edit_discard,
            ai::ai_providers,
            ai::ai_health,
            ai::ai_key_set,
            ai::ai_key_delete,
            ai::ai_usage,
            ai::ai_cache_clear,
            dialog::dialog_pick_folder,
            dialog::dialog_pick_file,
            window::window_close_ack,
            window::window_close,
            window::os_reveal,
        ])
        .events(collect_events![
            events::FsBatch,
            events::CloseRequested,
            search::IndexProgress,
            semantic::SemanticProgress
        ])
        // Sent as JSON on a terminal's output stream, not through a command's signature.
        .typ::<exec::PtyEvent>()
}

#[cfg(test)]
mod tests {
    use specta_typescript::{BigIntExportBehavior, Typescript};

    use super::builder;

    /// Renders the bindings as TypeScript text.
    fn typescript() -> anyhow::Result<String> {
        let dir = std::env::temp_dir().join(format!("aura-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let file = dir.join("bindings.ts");
        builder()
            .export(
                Typescript::default()
                    .bigint(BigIntExportBehavior::Number)
                    .header(
                        "// Generated from the Rust commands by src-tauri (bindings test). Do not edit.\n\
                         // The generator imports helpers it may not use; checking them here adds nothing.\n\
                         // @ts-nocheck\n",
                    ),
                &file,
            )
            .map_err(|e| anyhow::anyhow!("exporting bindings: {e}"))?;
        let text = std::fs::read_to_string(&file)?;
        std::fs::remove_dir_all(&dir)?;
        Ok(text)
    }

    /// The committed bindings must equal what the Rust side generates now. Run with
    /// `AURA_UPDATE_BINDINGS=1` to rewrite them after changing a command or a DTO.
    #[test]
    fn typescript_bindings_are_current() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings.ts");
        let fresh = typescript().unwrap();
        if std::env::var_os("AURA_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/ipc/bindings.ts is out of date: run scripts/gen-bindings (AURA_UPDATE_BINDINGS=1 cargo test -p aura-desktop bindings)"
        );
    }
}
