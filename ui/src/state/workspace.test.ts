import { describe, expect, it } from "vitest";
import type { DirEntry, ProjectInfo } from "../ipc/bindings";
import { IpcError } from "../ipc";
import { Workspace, type WorkspaceApi } from "./workspace";

const project: ProjectInfo = {
  id: "p1", name: "demo", path: "/tmp/demo", description: "", language: null, settings: "{}", createdMs: 1, lastOpenedMs: null,
};

function fakeApi(over: Partial<WorkspaceApi> = {}): WorkspaceApi {
  const nope = async () => {
    throw new IpcError("Internal", "not faked");
  };
  return {
    projectListRecent: async () => [project],
    projectTemplates: async () => [{ id: "empty", name: "Empty", language: null }],
    projectOpen: async (path: string) => {
      if (path !== "/tmp/demo") throw new IpcError("NotFound", `no folder ${path}`);
      return project;
    },
    projectCreate: nope,
    projectClose: async () => null,
    projectForget: async () => null,
    appStartup: async () => ({ openPath: null, openFile: null }),
    dialogPickFolder: async () => null,
    dialogPickFile: async () => null,
    projectImport: nope,
    fsList: async (): Promise<DirEntry[]> => [],
    fsRead: nope,
    fsWrite: nope,
    settingsGet: nope,
    sessionLoad: async () => null,
    sessionSave: async () => null,
    recentFiles: async () => [],
    settingsFileRead: nope,
    settingsFileWrite: nope,
    ...over,
  };
}

const noBuffers = () => ({ load: async () => {}, snapshot: () => null, markClean: () => {}, rename: () => {}, dispose: () => {} });

describe("Workspace", () => {
  it("loads the welcome data and keeps going when one part fails", async () => {
    const ws = new Workspace(fakeApi(), noBuffers);
    await ws.init();
    expect(ws.recent.get()).toEqual([project]);
    expect(ws.templates.get().map((t) => t.id)).toEqual(["empty"]);
    expect(ws.startupError.get()?.code).toBe("Internal"); // settingsGet is not faked
  });

  it("opens the folder given on the command line after loading the welcome data", async () => {
    const ws = new Workspace(fakeApi({ appStartup: async () => ({ openPath: "/tmp/demo", openFile: null }), settingsGet: async () => ({}) as never }), noBuffers);
    await ws.init();
    expect(ws.session.get()?.project.path).toBe("/tmp/demo");
    expect(ws.startupError.get()).toBeNull();
    expect(ws.booting.get()).toBe(false);
  });

  it("starts loading the editor before the backend has opened the folder", async () => {
    const events: string[] = [];
    const api = fakeApi({
      appStartup: async () => ({ openPath: "/tmp/demo", openFile: null }),
      settingsGet: async () => ({}) as never,
    });
    const open = api.projectOpen;
    api.projectOpen = async (path) => (events.push("open asked"), open(path));
    const ws = new Workspace(api, noBuffers, () => events.push("editor warmed"));
    await ws.init();
    expect(events).toEqual(["editor warmed", "open asked"]);
  });

  it("does not load the editor for the welcome screen", async () => {
    let warmed = 0;
    const ws = new Workspace(fakeApi(), noBuffers, () => warmed++);
    await ws.init();
    expect(ws.session.get()).toBeNull();
    expect(warmed).toBe(0);
  });

  it("opens a file named on the command line after the saved tabs are back", async () => {
    const text = { version: "v1", encoding: "Utf8" as const, lineEnding: "Lf" as const, size: 1, readOnly: false, truncated: false };
    const ws = new Workspace(
      fakeApi({
        appStartup: async () => ({ openPath: "/tmp/demo", openFile: "src/new.py" }),
        settingsGet: async () => ({}) as never,
        sessionLoad: async () => '{"v":1,"editor":{"groups":[{"tabs":["old.txt"],"active":"old.txt"}],"focused":0}}',
        fsRead: async (_p, path) => ({ ...text, text: path }),
      }),
      noBuffers,
    );
    await ws.init();
    const s = ws.session.get()!;
    await s.restoring;
    await new Promise((r) => setTimeout(r, 0));
    expect(s.groups.changes.get().groups[0]).toMatchObject({ tabs: ["old.txt", "src/new.py"], active: "src/new.py" });
  });

  it("enters a session on open and lists the root", async () => {
    const listed: string[] = [];
    const ws = new Workspace(fakeApi({ fsList: async (_p, dir) => (listed.push(dir), []) }), noBuffers);
    await ws.open("/tmp/demo");
    expect(ws.session.get()?.project.id).toBe("p1");
    expect(listed).toEqual([""]);
  });

  it("surfaces the backend's code when open fails and stays on welcome", async () => {
    const ws = new Workspace(fakeApi(), noBuffers);
    await expect(ws.open("/nope")).rejects.toMatchObject({ code: "NotFound" });
    expect(ws.session.get()).toBeNull();
  });

  it("ignores event batches for other projects", async () => {
    const listed: string[] = [];
    const ws = new Workspace(fakeApi({ fsList: async (_p, dir) => (listed.push(dir), []) }), noBuffers);
    await ws.open("/tmp/demo");
    const s = ws.session.get()!;
    await s.tree.load("");
    listed.length = 0;
    await s.handleBatch({ projectId: "other", events: [{ path: "x.txt", kind: { type: "Created" } }] });
    expect(listed).toEqual([]);
    await s.handleBatch({ projectId: "p1", events: [{ path: "x.txt", kind: { type: "Created" } }] });
    expect(listed).toEqual([""]);
  });
});

describe("Session restore", () => {
  it("reopens the saved tabs and layout, and saves changes back", async () => {
    const saved: string[] = [];
    const text = { version: "v1", encoding: "Utf8" as const, lineEnding: "Lf" as const, size: 1, readOnly: false, truncated: false };
    const state = '{"v":1,"layout":{"side":{"visible":false}},"editor":{"groups":[{"tabs":["a.txt","b.txt"],"active":"b.txt"}],"focused":0}}';
    const ws = new Workspace(
      fakeApi({
        sessionLoad: async () => state,
        sessionSave: async (_id, json) => (saved.push(json), null),
        fsRead: async (_p, path) => ({ ...text, text: path }),
      }),
      noBuffers,
    );
    await ws.open("/tmp/demo");
    const s = ws.session.get()!;
    await s.restore();
    expect(s.groups.changes.get().groups[0]!.tabs).toEqual(["a.txt", "b.txt"]);
    expect(s.groups.activePath()).toBe("b.txt");
    expect(s.layout.get().side.visible).toBe(false);
    await s.groups.open("c.txt");
    await s.dispose();
    expect(JSON.parse(saved.at(-1)!).editor.groups[0].tabs).toEqual(["a.txt", "b.txt", "c.txt"]);
  });
});

describe("Session file moves", () => {
  const text = { version: "v1", encoding: "Utf8" as const, lineEnding: "Lf" as const, size: 1, readOnly: false, truncated: false };
  async function session() {
    const ws = new Workspace(fakeApi({ fsRead: async (_p, path) => ({ ...text, text: path }) }), noBuffers);
    await ws.open("/tmp/demo");
    const s = ws.session.get()!;
    await s.groups.open("src/a.py");
    await s.groups.open("src/b.py");
    await s.groups.open("notes.txt", { preview: true });
    return s;
  }

  it("tabs follow a folder renamed on disk (a watcher Renamed event)", async () => {
    const s = await session();
    s.docs.setDirty("src/a.py", true);
    s.groups.activate(0, "src/a.py");
    await s.handleBatch({ projectId: "p1", events: [{ path: "lib", kind: { type: "Renamed", from: "src" } }] });
    const g = s.groups.changes.get().groups[0]!;
    expect(g.tabs).toEqual(["lib/a.py", "lib/b.py", "notes.txt"]);
    expect(g.active).toBe("lib/a.py");
    expect(s.docs.get("lib/a.py")?.dirty).toBe(true);
    expect(s.docs.get("lib/a.py")?.notice).toBeNull();
    expect(s.docs.get("src/a.py")).toBeUndefined();
  });

  it("a preview tab stays the preview under its new name", async () => {
    const s = await session();
    s.renamed("notes.txt", "doc/notes.md");
    expect(s.groups.changes.get().groups[0]!.preview).toBe("doc/notes.md");
  });

  it("deleting in the explorer closes the clean tabs below the path and keeps dirty ones", async () => {
    const s = await session();
    s.docs.setDirty("src/b.py", true);
    s.deleted("src");
    expect(s.groups.changes.get().groups[0]!.tabs).toEqual(["src/b.py", "notes.txt"]);
    expect(s.docs.get("src/a.py")).toBeUndefined();
  });
});
