import { describe, expect, it } from "vitest";
import type { DirEntry } from "../ipc/bindings";
import { IpcError } from "../ipc";
import { TreeState, affectedDirs, sortEntries } from "./tree";

function entry(path: string, kind: DirEntry["kind"] = "File"): DirEntry {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return { name, path, kind, size: 0, ignored: false, hidden: false, symlink: false };
}

/** A fake backend over a flat list of paths; counts calls per folder. */
function fakeFs(files: Record<string, DirEntry["kind"]>) {
  const calls: string[] = [];
  const api = {
    async fsList(_pid: string, dir: string) {
      calls.push(dir);
      if (dir !== "" && files[dir] !== "Dir") throw new IpcError("NotFound", "no such folder");
      return Object.entries(files)
        .filter(([p]) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "") === dir)
        .map(([p, k]) => entry(p, k));
    },
  };
  return { api, calls, files };
}

describe("sortEntries", () => {
  it("puts folders first and orders names naturally", () => {
    const sorted = sortEntries([entry("b.txt"), entry("file10"), entry("zdir", "Dir"), entry("file2"), entry("Adir", "Dir")]);
    expect(sorted.map((e) => e.name)).toEqual(["Adir", "zdir", "b.txt", "file2", "file10"]);
  });
});

describe("affectedDirs", () => {
  it("maps events to loaded parent folders only", () => {
    const dirs = affectedDirs(
      [
        { path: "src/a.py", kind: { type: "Created" } },
        { path: "deep/x/y.txt", kind: { type: "Modified" } },
        { path: "new.txt", kind: { type: "Renamed", from: "src/old.txt" } },
      ],
      ["", "src"],
    );
    expect([...dirs].sort()).toEqual(["", "src"]);
  });
  it("refreshes everything loaded on Rescan", () => {
    expect([...affectedDirs([{ path: "", kind: { type: "Rescan" } }], ["", "a", "b"])].sort()).toEqual(["", "a", "b"]);
  });
  it("limits a Rescan to the folder it names", () => {
    expect([...affectedDirs([{ path: "a", kind: { type: "Rescan" } }], ["", "a", "a/x", "ab"])].sort()).toEqual(["a", "a/x"]);
  });
});

describe("TreeState", () => {
  it("lists lazily: only the root at first, a folder when expanded", async () => {
    const fs = fakeFs({ "hello.txt": "File", src: "Dir", "src/main.py": "File", "src/deep": "Dir" });
    const tree = new TreeState(fs.api, "p1");
    await tree.load("");
    expect(fs.calls).toEqual([""]);
    expect(tree.children("")!.map((e) => e.name)).toEqual(["src", "hello.txt"]);
    expect(tree.children("src")).toBeUndefined();

    await tree.toggle("src");
    expect(fs.calls).toEqual(["", "src"]);
    expect(tree.isExpanded("src")).toBe(true);
    expect(tree.children("src")!.map((e) => e.name)).toEqual(["deep", "main.py"]);

    // Collapsing and re-expanding uses the cached listing.
    await tree.toggle("src");
    await tree.toggle("src");
    expect(fs.calls).toEqual(["", "src"]);
  });

  it("refreshes affected folders on events and drops removed subtrees", async () => {
    const fs = fakeFs({ src: "Dir", "src/main.py": "File" });
    const tree = new TreeState(fs.api, "p1");
    await tree.load("");
    await tree.toggle("src");
    fs.calls.length = 0;

    fs.files["src/new.py"] = "File";
    await tree.applyEvents([{ path: "src/new.py", kind: { type: "Created" } }]);
    expect(fs.calls).toEqual(["src"]);
    expect(tree.children("src")!.map((e) => e.name)).toEqual(["main.py", "new.py"]);

    delete fs.files.src;
    delete fs.files["src/main.py"];
    delete fs.files["src/new.py"];
    fs.calls.length = 0;
    await tree.applyEvents([{ path: "src", kind: { type: "Removed" } }]);
    expect(fs.calls).toEqual([""]);
    expect(tree.children("src")).toBeUndefined();
    expect(tree.isExpanded("src")).toBe(false);
  });

  it("keeps the newest answer when requests race", async () => {
    const resolvers: Array<(v: DirEntry[]) => void> = [];
    const api = { fsList: () => new Promise<DirEntry[]>((r) => resolvers.push(r)) };
    const tree = new TreeState(api, "p1");
    const first = tree.load("");
    const second = tree.load("");
    resolvers[1]([entry("new.txt")]);
    resolvers[0]([entry("stale.txt")]);
    await Promise.all([first, second]);
    expect(tree.children("")!.map((e) => e.name)).toEqual(["new.txt"]);
    expect(tree.isLoading("")).toBe(false);
  });

  it("records a folder's error by code", async () => {
    const tree = new TreeState({ fsList: async () => Promise.reject(new IpcError("PermissionDenied", "nope")) }, "p1");
    await tree.load("");
    expect(tree.error("")!.code).toBe("PermissionDenied");
  });
});

describe("TreeState rows", () => {
  it("flattens expanded folders for keyboard navigation and reveals nested files", async () => {
    const e = (path: string, kind: "File" | "Dir") => ({ name: path.split("/").pop()!, path, kind, size: 0, ignored: false, hidden: false, symlink: false });
    const listing: Record<string, ReturnType<typeof e>[]> = { "": [e("a", "Dir"), e("z.txt", "File")], a: [e("a/b", "Dir")], "a/b": [e("a/b/c.txt", "File")] };
    const t = new TreeState({ fsList: async (_p: string, d: string) => listing[d] ?? [] }, "p");
    await t.load("");
    expect(t.visibleRows().map((r) => r.entry.path)).toEqual(["a", "z.txt"]);
    await t.reveal("a/b/c.txt");
    expect(t.visibleRows().map((r) => [r.entry.path, r.depth])).toEqual([["a", 0], ["a/b", 1], ["a/b/c.txt", 2], ["z.txt", 0]]);
  });
});

