import { describe, expect, it } from "vitest";
import type { DirEntry } from "../ipc/bindings";
import { QuickOpen, mergeRecent } from "./quickopen";

const entry = (path: string, kind: "File" | "Dir", ignored = false): DirEntry => ({
  name: path.slice(path.lastIndexOf("/") + 1), path, kind, size: 0, ignored, hidden: false, symlink: false,
});

const tree: Record<string, DirEntry[]> = {
  "": [entry("src", "Dir"), entry("target", "Dir", true), entry("README.md", "File")],
  src: [entry("src/main.rs", "File"), entry("src/lib.rs", "File")],
  target: [entry("target/junk.rs", "File")],
};

describe("QuickOpen", () => {
  it("lists recent files (open ones first) for an empty query", async () => {
    const q = new QuickOpen({ recentFiles: async () => ["README.md", "src/lib.rs"], fsList: async () => [] }, "p");
    await q.prepare(["src/main.rs"]);
    expect((await q.query("")).map((i) => i.path)).toEqual(["src/main.rs", "README.md", "src/lib.rs"]);
  });

  it("uses the backend's ranking when searchFiles exists, recent matches first", async () => {
    const asked: string[] = [];
    const q = new QuickOpen(
      {
        recentFiles: async () => ["src/lib.rs"],
        fsList: async () => [],
        searchFiles: async (_p, query) => (asked.push(query), [
          { path: "src/main.rs", score: 90, indices: [4, 5] },
          { path: "src/lib.rs", score: 10, indices: [8] },
        ]),
      },
      "p",
    );
    expect(q.ranked).toBe(true);
    await q.prepare();
    const items = await q.query(" rs ");
    expect(asked).toEqual(["rs"]);
    expect(items).toEqual([
      { path: "src/lib.rs", indices: [8], recent: true },
      { path: "src/main.rs", indices: [4, 5], recent: false },
    ]);
  });

  it("falls back to walking the tree, skipping ignored folders", async () => {
    const q = new QuickOpen({ recentFiles: async () => [], fsList: async (_p, dir) => tree[dir] ?? [] }, "p");
    expect(q.ranked).toBe(false);
    await q.prepare();
    expect((await q.query("mainrs")).map((i) => i.path)).toEqual(["src/main.rs"]);
    expect((await q.query("junk")).length).toBe(0);
  });

  it("merges a recent file the backend did not return when it matches", () => {
    expect(mergeRecent("lib", ["src/lib.rs"], []).map((i) => i.path)).toEqual(["src/lib.rs"]);
    expect(mergeRecent("zzz", ["src/lib.rs"], [])).toEqual([]);
  });
});
