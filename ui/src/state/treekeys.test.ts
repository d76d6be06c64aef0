import { describe, expect, it } from "vitest";
import type { DirEntry } from "../ipc/bindings";
import { treeKey } from "./treekeys";

const e = (path: string, kind: "File" | "Dir"): DirEntry => ({ name: path.split("/").pop()!, path, kind, size: 0, ignored: false, hidden: false, symlink: false });
const rows = [
  { entry: e("src", "Dir"), depth: 0 },
  { entry: e("src/a.rs", "File"), depth: 1 },
  { entry: e("z.txt", "File"), depth: 0 },
];
const open = (d: string) => d === "src";

describe("treeKey", () => {
  it("moves with arrows, Home and End, clamped at the ends", () => {
    expect(treeKey("ArrowDown", rows, null, open)).toEqual({ kind: "select", path: "src" });
    expect(treeKey("ArrowDown", rows, "src/a.rs", open)).toEqual({ kind: "select", path: "z.txt" });
    expect(treeKey("ArrowDown", rows, "z.txt", open)).toEqual({ kind: "select", path: "z.txt" });
    expect(treeKey("ArrowUp", rows, "src", open)).toEqual({ kind: "select", path: "src" });
    expect(treeKey("End", rows, "src", open)).toEqual({ kind: "select", path: "z.txt" });
  });

  it("expands, collapses and climbs to the parent", () => {
    expect(treeKey("ArrowRight", rows, "src", () => false)).toEqual({ kind: "toggle", path: "src" });
    expect(treeKey("ArrowRight", rows, "src", open)).toEqual({ kind: "select", path: "src/a.rs" });
    expect(treeKey("ArrowLeft", rows, "src", open)).toEqual({ kind: "toggle", path: "src" });
    expect(treeKey("ArrowLeft", rows, "src/a.rs", open)).toEqual({ kind: "select", path: "src" });
  });

  it("opens, renames and deletes the selection", () => {
    expect(treeKey("Enter", rows, "z.txt", open)).toMatchObject({ kind: "open", entry: { path: "z.txt" } });
    expect(treeKey("F2", rows, "z.txt", open)).toEqual({ kind: "rename", path: "z.txt" });
    expect(treeKey("Delete", rows, "src", open)).toEqual({ kind: "delete", path: "src" });
    expect(treeKey("F2", rows, null, open)).toBeNull();
    expect(treeKey("x", rows, "src", open)).toBeNull();
  });
});
