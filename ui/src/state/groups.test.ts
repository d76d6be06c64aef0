import { describe, expect, it } from "vitest";
import { IpcError } from "../ipc";
import type { Doc, DocsView } from "./documents";
import { EditorGroups, type GroupDocs } from "./groups";
import { writable } from "./store";

/** Documents reduced to what groups use: open/close bookkeeping and dirty flags. */
function fakeDocs(missing: string[] = []) {
  const open = new Map<string, Doc>();
  const view = writable<DocsView>({ docs: [], active: null, pendingClose: null });
  const closed: string[] = [];
  const saved: string[] = [];
  let saveFails = false;
  const emit = () => view.set({ docs: [...open.values()], active: null, pendingClose: null });
  const docs: GroupDocs = {
    changes: view,
    get: (p) => open.get(p),
    async open(p) {
      if (open.has(p)) return;
      const error = missing.includes(p) ? new IpcError("NotFound", "gone") : null;
      open.set(p, { path: p, status: error ? "error" : "text", error, dirty: false } as Doc);
      emit();
    },
    close(p) {
      open.delete(p);
      closed.push(p);
      emit();
      return true;
    },
    async save(p) {
      saved.push(p);
      if (!saveFails) open.set(p, { ...open.get(p)!, dirty: false });
    },
    activate() {},
  };
  const edit = (p: string) => {
    open.set(p, { ...open.get(p)!, dirty: true });
    emit();
  };
  return { docs, open, closed, saved, edit, failSaves: () => (saveFails = true) };
}

const tabs = (g: EditorGroups) => g.changes.get().groups.map((x) => x.tabs);

describe("EditorGroups", () => {
  it("replaces the preview tab on the next single-click open, and pins on double-click", async () => {
    const f = fakeDocs();
    const g = new EditorGroups(f.docs);
    await g.open("a.txt", { preview: true });
    await g.open("b.txt", { preview: true });
    expect(tabs(g)).toEqual([["b.txt"]]);
    expect(f.closed).toEqual(["a.txt"]);
    await g.open("b.txt"); // double-click: pinned
    expect(g.changes.get().groups[0]!.preview).toBeNull();
    await g.open("c.txt", { preview: true });
    expect(tabs(g)).toEqual([["b.txt", "c.txt"]]);
    expect(g.changes.get().groups[0]!.preview).toBe("c.txt");
  });

  it("pins a preview tab once it is edited", async () => {
    const f = fakeDocs();
    const g = new EditorGroups(f.docs);
    await g.open("a.txt", { preview: true });
    f.edit("a.txt");
    expect(g.changes.get().groups[0]!.preview).toBeNull();
    await g.open("b.txt", { preview: true });
    expect(tabs(g)).toEqual([["a.txt", "b.txt"]]);
  });

  it("asks before closing a dirty tab: save, don't save, cancel", async () => {
    const f = fakeDocs();
    const g = new EditorGroups(f.docs);
    await g.open("a.txt");
    await g.open("b.txt");
    f.edit("b.txt");
    expect(g.requestClose(0, "b.txt")).toBe(false);
    expect(g.changes.get().pendingClose).toEqual({ group: 0, path: "b.txt" });
    await g.resolveClose("cancel");
    expect(tabs(g)).toEqual([["a.txt", "b.txt"]]);
    g.requestClose(0, "b.txt");
    await g.resolveClose("save");
    expect(f.saved).toEqual(["b.txt"]);
    expect(tabs(g)).toEqual([["a.txt"]]);
    expect(g.activePath()).toBe("a.txt");
    f.edit("a.txt");
    f.failSaves();
    g.requestClose(0, "a.txt");
    await g.resolveClose("save");
    expect(tabs(g)).toEqual([["a.txt"]]); // a failed save keeps the tab
    g.requestClose(0, "a.txt");
    await g.resolveClose("discard");
    expect(tabs(g)).toEqual([[]]);
    expect(f.open.size).toBe(0);
  });

  it("closes other tabs and reorders by drag", async () => {
    const f = fakeDocs();
    const g = new EditorGroups(f.docs);
    for (const p of ["a", "b", "c", "d"]) await g.open(p);
    g.move(0, "d", 0);
    expect(tabs(g)).toEqual([["d", "a", "b", "c"]]);
    g.move(0, "d", 3);
    expect(tabs(g)).toEqual([["a", "b", "d", "c"]]);
    g.closeOthers(0, "b");
    expect(tabs(g)).toEqual([["b"]]);
  });

  it("splits to a second group sharing the document, and an emptied group goes away", async () => {
    const f = fakeDocs();
    const g = new EditorGroups(f.docs);
    await g.open("a");
    await g.open("b");
    await g.splitActive();
    expect(tabs(g)).toEqual([["a", "b"], ["b"]]);
    expect(g.focusedGroup()).toBe(1);
    // Still shown in group 0, so closing it here neither asks nor closes the document.
    f.edit("b");
    expect(g.requestClose(1, "b")).toBe(true);
    expect(tabs(g)).toEqual([["a", "b"]]);
    expect(f.open.has("b")).toBe(true);
    await g.moveToOther(0, "a");
    expect(tabs(g)).toEqual([["b"], ["a"]]);
    expect(g.activePath()).toBe("a");
  });

  it("saves and restores tabs, dropping files that are gone", async () => {
    const f = fakeDocs(["gone.txt"]);
    const g = new EditorGroups(f.docs);
    await g.restore({ groups: [{ tabs: ["a", "gone.txt", "b"], active: "b" }, { tabs: ["c"], active: "c" }], focused: 1 });
    expect(tabs(g)).toEqual([["a", "b"], ["c"]]);
    expect(g.save()).toEqual({ groups: [{ tabs: ["a", "b"], active: "b" }, { tabs: ["c"], active: "c" }], focused: 1 });
  });
});
