// PLACEHOLDER for the file tauri-specta generates from the Rust commands.
// The Rust side overwrites this file; do not edit it by hand beyond keeping it
// in step with the contract until the generator runs.

/* eslint-disable */

export const commands = {
  async appInfo(): Promise<AppInfo> {
    return await TAURI_INVOKE("app_info");
  },
  async appStartup(): Promise<Startup> {
    return await TAURI_INVOKE("app_startup");
  },
  async uiReady(screen: string): Promise<null> {
    return await TAURI_INVOKE("ui_ready", { screen });
  },
  async projectTemplates(): Promise<TemplateInfo[]> {
    return await TAURI_INVOKE("project_templates");
  },
  async projectListRecent(): Promise<Result<ProjectInfo[], IpcError>> {
    return call("project_list_recent", {});
  },
  async projectCreate(name: string, template: string, location: string): Promise<Result<ProjectInfo, IpcError>> {
    return call("project_create", { name, template, location });
  },
  async projectOpen(path: string): Promise<Result<ProjectInfo, IpcError>> {
    return call("project_open", { path });
  },
  async projectClose(projectId: string): Promise<Result<null, IpcError>> {
    return call("project_close", { projectId });
  },
  async projectForget(projectId: string): Promise<Result<null, IpcError>> {
    return call("project_forget", { projectId });
  },
  async dialogPickFolder(): Promise<string | null> {
    return await TAURI_INVOKE("dialog_pick_folder");
  },
  async fsList(projectId: string, path: string): Promise<Result<DirEntry[], IpcError>> {
    return call("fs_list", { projectId, path });
  },
  async fsRead(projectId: string, path: string, readOnly: boolean): Promise<Result<TextFile, IpcError>> {
    return call("fs_read", { projectId, path, readOnly });
  },
  async fsWrite(
    projectId: string,
    path: string,
    text: string,
    encoding: Encoding,
    expectedVersion: string | null,
  ): Promise<Result<string, IpcError>> {
    return call("fs_write", { projectId, path, text, encoding, expectedVersion });
  },
  async fsCreateFile(projectId: string, path: string): Promise<Result<string, IpcError>> {
    return call("fs_create_file", { projectId, path });
  },
  async fsCreateDir(projectId: string, path: string): Promise<Result<null, IpcError>> {
    return call("fs_create_dir", { projectId, path });
  },
  async fsRename(projectId: string, from: string, to: string): Promise<Result<null, IpcError>> {
    return call("fs_rename", { projectId, from, to });
  },
  async fsDelete(projectId: string, path: string, permanent: boolean): Promise<Result<null, IpcError>> {
    return call("fs_delete", { projectId, path, permanent });
  },
  async settingsGet(): Promise<Settings> {
    return await TAURI_INVOKE("settings_get");
  },
};

export const events = __makeEvents__<{
  fsBatch: FsBatch;
}>({
  fsBatch: "fs-batch",
});

/** user-defined types **/

export type AppInfo = { version: string; dataDir: string; configFile: string; logDir: string };
export type Startup = { openPath: string | null };
export type TemplateInfo = { id: string; name: string; language: string | null };
export type ProjectInfo = {
  id: string;
  name: string;
  path: string;
  description: string;
  language: string | null;
  settings: string;
  createdMs: number;
  lastOpenedMs: number | null;
};
export type EntryKind = "File" | "Dir" | "Other";
export type DirEntry = {
  name: string;
  path: string;
  kind: EntryKind;
  size: number;
  ignored: boolean;
  hidden: boolean;
  symlink: boolean;
};
export type Encoding = "Utf8" | "Utf8Bom" | "Utf16Le" | "Utf16Be";
export type LineEnding = "Lf" | "Crlf" | "Mixed" | "None";
export type TextFile = {
  text: string;
  encoding: Encoding;
  lineEnding: LineEnding;
  version: string;
  size: number;
  readOnly: boolean;
  truncated: boolean;
};
export type FsEventKind = { type: "Created" } | { type: "Modified" } | { type: "Removed" } | { type: "Renamed"; from: string } | { type: "Rescan" };
export type FsEvent = { path: string; kind: FsEventKind };
export type FsBatch = { projectId: string; events: FsEvent[] };
export type ErrorCode =
  | "NotFound"
  | "AlreadyExists"
  | "OutsideProject"
  | "Conflict"
  | "TooLarge"
  | "Binary"
  | "UnsupportedEncoding"
  | "InvalidInput"
  | "PermissionDenied"
  | "Cancelled"
  | "SandboxUnavailable"
  | "ProviderUnavailable"
  | "Io"
  | "Internal";
export type IpcError = { code: ErrorCode; message: string };
export type AutoSave = "off" | "after_delay" | "on_focus_change";
export type Theme = "system" | "dark" | "light";
export type EditorSettings = {
  font_family: string;
  font_size: number;
  tab_size: number;
  insert_spaces: boolean;
  word_wrap: boolean;
  auto_save: AutoSave;
  auto_save_delay_ms: number;
};
export type WorkbenchSettings = { theme: Theme };
export type FilesSettings = { max_edit_size_mb: number; show_hidden: boolean; show_ignored: boolean };
export type LogSettings = { level: string };
export type Settings = {
  editor: EditorSettings;
  workbench: WorkbenchSettings;
  files: FilesSettings;
  log: LogSettings;
};

/** tauri-specta globals **/

import { invoke as TAURI_INVOKE } from "@tauri-apps/api/core";
import * as TAURI_API_EVENT from "@tauri-apps/api/event";
import { type WebviewWindow as __WebviewWindow__ } from "@tauri-apps/api/webviewWindow";

export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

async function call<T>(cmd: string, args: Record<string, unknown>): Promise<Result<T, IpcError>> {
  try {
    return { status: "ok", data: await TAURI_INVOKE(cmd, args) };
  } catch (e) {
    if (e instanceof Error) throw e;
    return { status: "error", error: e as any };
  }
}

type __EventObj__<T> = {
  listen: (cb: TAURI_API_EVENT.EventCallback<T>) => ReturnType<typeof TAURI_API_EVENT.listen<T>>;
  once: (cb: TAURI_API_EVENT.EventCallback<T>) => ReturnType<typeof TAURI_API_EVENT.once<T>>;
  emit: null extends T
    ? (payload?: T) => ReturnType<typeof TAURI_API_EVENT.emit>
    : (payload: T) => ReturnType<typeof TAURI_API_EVENT.emit>;
};

function __makeEvents__<T extends Record<string, any>>(mappings: Record<keyof T, string>) {
  return new Proxy(
    {} as unknown as {
      [K in keyof T]: __EventObj__<T[K]> & {
        (handle: __WebviewWindow__): __EventObj__<T[K]>;
      };
    },
    {
      get: (_, event) => {
        const name = mappings[event as keyof T];
        return new Proxy((() => {}) as any, {
          apply: (_, __, [window]: [__WebviewWindow__]) => ({
            listen: (arg: any) => window.listen(name, arg),
            once: (arg: any) => window.once(name, arg),
            emit: (arg: any) => window.emit(name, arg),
          }),
          get: (_, command: keyof __EventObj__<any>) => {
            switch (command) {
              case "listen":
                return (arg: any) => TAURI_API_EVENT.listen(name, arg);
              case "once":
                return (arg: any) => TAURI_API_EVENT.once(name, arg);
              case "emit":
                return (arg: any) => TAURI_API_EVENT.emit(name, arg);
            }
          },
        });
      },
    },
  );
}
