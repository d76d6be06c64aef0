// settings.toml in an editor tab. It lives in the config dir, outside every project, so
// it gets a path no project file can have (project paths never start with "/") and its
// reads and saves go to the two settings-file commands instead of the project's files.
// A save the backend refuses (a bad value, by key) shows in the tab's notice by code.

import type { SettingsSaved } from "../ipc/bindings";
import type { Api } from "../ipc";
import type { DocsApi } from "./documents";

export const SETTINGS_DOC = "/settings.toml";

export const isSettingsDoc = (path: string) => path === SETTINGS_DOC;

export type SettingsFileApi = Pick<Api, "settingsFileRead" | "settingsFileWrite">;

/** The project's file commands, with SETTINGS_DOC served by the settings-file commands. */
export function withSettingsDoc(files: DocsApi, settings: SettingsFileApi, onSaved: (s: SettingsSaved) => void): DocsApi {
  return {
    fsRead: (projectId, path, readOnly) => (isSettingsDoc(path) ? settings.settingsFileRead() : files.fsRead(projectId, path, readOnly)),
    async fsWrite(projectId, path, text, encoding, expected) {
      if (!isSettingsDoc(path)) return files.fsWrite(projectId, path, text, encoding, expected);
      const saved = await settings.settingsFileWrite(text, expected);
      onSaved(saved);
      return saved.version;
    },
  };
}
