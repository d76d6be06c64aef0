import { describe, expect, it } from "vitest";
import type { Settings, SettingsSaved, TextFile } from "../ipc/bindings";
import { IpcError } from "../ipc";
import { Documents } from "./documents";
import { SETTINGS_DOC, withSettingsDoc } from "./settingsdoc";

const file = (text: string, version: string): TextFile => ({ text, version, encoding: "Utf8", lineEnding: "Lf", size: text.length, readOnly: false, truncated: false });

function setup() {
  const project: string[] = [];
  let disk = { text: "[editor]\nfont_size = 14\n", version: "s1" };
  const saved: SettingsSaved[] = [];
  const api = withSettingsDoc(
    {
      fsRead: async (_p, path) => (project.push(`read ${path}`), file("x", "p1")),
      fsWrite: async (_p, path) => (project.push(`write ${path}`), "p2"),
    },
    {
      settingsFileRead: async () => file(disk.text, disk.version),
      settingsFileWrite: async (text, expected) => {
        if (expected !== disk.version) throw new IpcError("Conflict", "changed");
        if (text.includes("900")) throw new IpcError("InvalidInput", "settings.toml: editor.font_size must be 6..100");
        disk = { text, version: disk.version + "'" };
        return { version: disk.version, settings: { editor: { font_size: 20 } } as Settings, warnings: [] };
      },
    },
    (s) => saved.push(s),
  );
  const bufs = new Map<string, string>();
  const docs = new Documents(api, "p", {
    load: async (p, t) => void bufs.set(p, t),
    snapshot: (p) => ({ text: bufs.get(p)!, token: 1 }),
    markClean: () => {},
    rename: () => {},
    dispose: (p) => void bufs.delete(p),
  });
  return { docs, bufs, project, saved, disk: () => disk };
}

describe("settings.toml tab", () => {
  it("reads and saves through the settings commands, never the project's files", async () => {
    const { docs, bufs, project, saved, disk } = setup();
    await docs.open(SETTINGS_DOC);
    expect(bufs.get(SETTINGS_DOC)).toContain("font_size = 14");
    bufs.set(SETTINGS_DOC, "[editor]\nfont_size = 20\n");
    docs.setDirty(SETTINGS_DOC, true);
    await docs.save(SETTINGS_DOC);
    expect(disk().text).toBe("[editor]\nfont_size = 20\n");
    expect(saved.map((s) => s.settings.editor.font_size)).toEqual([20]);
    expect(docs.get(SETTINGS_DOC)?.notice).toBeNull();
    await docs.open("a.txt");
    expect(project).toEqual(["read a.txt"]);
  });

  it("a refused save shows the code in the tab and keeps the text", async () => {
    const { docs, bufs, saved, disk } = setup();
    await docs.open(SETTINGS_DOC);
    bufs.set(SETTINGS_DOC, "[editor]\nfont_size = 900\n");
    docs.setDirty(SETTINGS_DOC, true);
    await docs.save(SETTINGS_DOC);
    expect(docs.get(SETTINGS_DOC)?.notice).toMatchObject({ kind: "failed", error: { code: "InvalidInput" } });
    expect(bufs.get(SETTINGS_DOC)).toContain("900");
    expect(disk().text).toContain("14");
    expect(saved).toEqual([]);
  });
});
