import { describe, expect, it } from "vitest";
import type { Encoding, TextFile } from "../ipc/bindings";
import { IpcError } from "../ipc";
import { Documents, type Buffers } from "./documents";

/** A fake disk with versioned files and the backend's conflict rule. */
function fakeDisk() {
  const files = new Map<string, { text: string; version: number }>();
  const special = new Map<string, "TooLarge" | "Binary">();
  let counter = 0;
  const writes: Array<{ path: string; text: string; expected: string | null }> = [];
  const api = {
    async fsRead(_p: string, path: string, readOnly: boolean): Promise<TextFile> {
      const kind = special.get(path);
      if (kind === "Binary") throw new IpcError("Binary", "binary file");
      if (kind === "TooLarge" && !readOnly) throw new IpcError("TooLarge", "big");
      const f = files.get(path);
      if (!f) throw new IpcError("NotFound", "missing");
      return { text: f.text, encoding: "Utf8", lineEnding: "Lf", version: `v${f.version}`, size: f.text.length, readOnly, truncated: false };
    },
    async fsWrite(_p: string, path: string, text: string, _enc: Encoding, expected: string | null): Promise<string> {
      writes.push({ path, text, expected });
      const f = files.get(path);
      if (f && expected !== null && expected !== `v${f.version}`) throw new IpcError("Conflict", "changed");
      if (!f && expected !== null) throw new IpcError("NotFound", "gone");
      if (f && expected === null) throw new IpcError("AlreadyExists", "exists");
      files.set(path, { text, version: ++counter });
      return `v${counter}`;
    },
  };
  const put = (path: string, text: string) => files.set(path, { text, version: ++counter });
  return { api, files, special, writes, put };
}

/** Buffers kept in a Map, with revision tokens like an editor model's version id. */
function fakeBuffers(onDirty: (path: string, dirty: boolean) => void) {
  const bufs = new Map<string, { text: string; rev: number; clean: number; readOnly: boolean }>();
  const buffers: Buffers = {
    async load(path, text, readOnly) {
      bufs.set(path, { text, rev: 0, clean: 0, readOnly });
    },
    snapshot(path) {
      const b = bufs.get(path);
      return b ? { text: b.text, token: b.rev } : null;
    },
    markClean(path, token) {
      const b = bufs.get(path)!;
      b.clean = token;
      onDirty(path, b.rev !== b.clean);
    },
    rename(from, to) {
      const b = bufs.get(from);
      if (!b) return;
      bufs.delete(from);
      bufs.set(to, b);
    },
    dispose(path) {
      bufs.delete(path);
    },
  };
  const type = (path: string, text: string) => {
    const b = bufs.get(path)!;
    b.text = text;
    b.rev++;
    onDirty(path, b.rev !== b.clean);
  };
  return { buffers, bufs, type };
}

function setup() {
  const disk = fakeDisk();
  let docs: Documents;
  const buf = fakeBuffers((p, d) => docs.setDirty(p, d));
  docs = new Documents(disk.api, "p1", buf.buffers);
  return { disk, buf, docs };
}

describe("Documents", () => {
  it("opens a file into a tab and saves with the version it read", async () => {
    const { disk, buf, docs } = setup();
    disk.put("hello.txt", "hello\n");
    await docs.open("hello.txt");
    const view = docs.changes.get();
    expect(view.active).toBe("hello.txt");
    expect(view.docs.map((d) => [d.path, d.status])).toEqual([["hello.txt", "text"]]);
    expect(buf.bufs.get("hello.txt")!.text).toBe("hello\n");

    buf.type("hello.txt", "hello world\n");
    expect(docs.get("hello.txt")!.dirty).toBe(true);
    const readVersion = docs.get("hello.txt")!.version;
    await docs.save("hello.txt");
    expect(disk.writes).toEqual([{ path: "hello.txt", text: "hello world\n", expected: readVersion }]);
    expect(disk.files.get("hello.txt")!.text).toBe("hello world\n");
    expect(docs.get("hello.txt")!.dirty).toBe(false);
    expect(docs.get("hello.txt")!.version).not.toBe(readVersion);
  });

  it("does not open a second tab for the same file", async () => {
    const { disk, docs } = setup();
    disk.put("a.txt", "a");
    disk.put("b.txt", "b");
    await docs.open("a.txt");
    await docs.open("b.txt");
    await docs.open("a.txt");
    expect(docs.changes.get().docs.map((d) => d.path)).toEqual(["a.txt", "b.txt"]);
    expect(docs.changes.get().active).toBe("a.txt");
  });

  it("reports a conflict instead of overwriting, then resolves by keep-mine or reload", async () => {
    const { disk, buf, docs } = setup();
    disk.put("f.txt", "one");
    await docs.open("f.txt");
    buf.type("f.txt", "mine");
    disk.put("f.txt", "theirs");
    await docs.save("f.txt");
    expect(docs.get("f.txt")!.notice).toEqual({ kind: "conflict" });
    expect(disk.files.get("f.txt")!.text).toBe("theirs");
    expect(docs.get("f.txt")!.dirty).toBe(true);

    await docs.keepMine("f.txt");
    expect(disk.files.get("f.txt")!.text).toBe("mine");
    expect(docs.get("f.txt")!.notice).toBeNull();

    buf.type("f.txt", "mine again");
    disk.put("f.txt", "theirs again");
    await docs.save("f.txt");
    await docs.reload("f.txt");
    expect(buf.bufs.get("f.txt")!.text).toBe("theirs again");
    expect(docs.get("f.txt")!.notice).toBeNull();
    expect(docs.get("f.txt")!.dirty).toBe(false);
  });

  it("opens a too-large file read-only and refuses to save it", async () => {
    const { disk, docs } = setup();
    disk.put("big.log", "x".repeat(10));
    disk.special.set("big.log", "TooLarge");
    await docs.open("big.log");
    const doc = docs.get("big.log")!;
    expect(doc.status).toBe("text");
    expect(doc.readOnly).toBe(true);
    expect(doc.tooLarge).toBe(true);
    await docs.save("big.log");
    expect(disk.writes).toEqual([]);
  });

  it("shows binary files as a placeholder", async () => {
    const { disk, buf, docs } = setup();
    disk.put("img.png", "");
    disk.special.set("img.png", "Binary");
    await docs.open("img.png");
    expect(docs.get("img.png")!.status).toBe("binary");
    expect(buf.bufs.has("img.png")).toBe(false);
  });

  it("reloads a clean buffer on an external change but only flags a dirty one", async () => {
    const { disk, buf, docs } = setup();
    disk.put("clean.txt", "c1");
    disk.put("dirty.txt", "d1");
    await docs.open("clean.txt");
    await docs.open("dirty.txt");
    buf.type("dirty.txt", "local edit");
    disk.put("clean.txt", "c2");
    disk.put("dirty.txt", "d2");
    await docs.applyEvents([
      { path: "clean.txt", kind: { type: "Modified" } },
      { path: "dirty.txt", kind: { type: "Modified" } },
    ]);
    expect(buf.bufs.get("clean.txt")!.text).toBe("c2");
    expect(buf.bufs.get("dirty.txt")!.text).toBe("local edit");
    expect(docs.get("dirty.txt")!.notice).toEqual({ kind: "changedOnDisk" });
  });

  it("flags an open file deleted on disk, and saving creates it again", async () => {
    const { disk, buf, docs } = setup();
    disk.put("gone.txt", "g");
    await docs.open("gone.txt");
    disk.files.delete("gone.txt");
    await docs.applyEvents([{ path: "gone.txt", kind: { type: "Removed" } }]);
    expect(docs.get("gone.txt")!.notice).toEqual({ kind: "deletedOnDisk" });
    buf.type("gone.txt", "back");
    await docs.save("gone.txt");
    expect(disk.writes.at(-1)).toEqual({ path: "gone.txt", text: "back", expected: null });
    expect(disk.files.get("gone.txt")!.text).toBe("back");
    expect(docs.get("gone.txt")!.notice).toBeNull();
  });

  it("treats a file that reappeared after deletion as a conflict", async () => {
    const { disk, buf, docs } = setup();
    disk.put("back.txt", "1");
    await docs.open("back.txt");
    disk.files.delete("back.txt");
    await docs.applyEvents([{ path: "back.txt", kind: { type: "Removed" } }]);
    buf.type("back.txt", "mine");
    disk.put("back.txt", "theirs");
    await docs.save("back.txt");
    expect(docs.get("back.txt")!.notice).toEqual({ kind: "conflict" });
    await docs.keepMine("back.txt");
    expect(disk.files.get("back.txt")!.text).toBe("mine");
  });

  it("ignores the echo of its own save", async () => {
    const { disk, buf, docs } = setup();
    disk.put("a.txt", "1");
    await docs.open("a.txt");
    buf.type("a.txt", "2");
    await docs.save("a.txt");
    const before = buf.bufs.get("a.txt")!;
    await docs.applyEvents([{ path: "a.txt", kind: { type: "Modified" } }]);
    expect(buf.bufs.get("a.txt")).toBe(before); // not reloaded: same object, same revision
  });

  it("asks before closing a dirty tab and activates a neighbour", async () => {
    const { disk, buf, docs } = setup();
    disk.put("a.txt", "a");
    disk.put("b.txt", "b");
    await docs.open("a.txt");
    await docs.open("b.txt");
    buf.type("b.txt", "edited");
    expect(docs.close("b.txt")).toBe(false);
    expect(docs.changes.get().pendingClose).toBe("b.txt");
    expect(docs.close("b.txt", true)).toBe(true);
    expect(docs.changes.get()).toMatchObject({ active: "a.txt", pendingClose: null });
    expect(buf.bufs.has("b.txt")).toBe(false);
  });

  it("saves again when a save is requested during one in flight", async () => {
    const { disk, buf, docs } = setup();
    disk.put("a.txt", "0");
    await docs.open("a.txt");
    buf.type("a.txt", "1");
    const first = docs.save("a.txt");
    buf.type("a.txt", "12");
    const second = docs.save("a.txt");
    await Promise.all([first, second]);
    expect(disk.files.get("a.txt")!.text).toBe("12");
    expect(docs.get("a.txt")!.dirty).toBe(false);
  });

  it("a renamed folder takes its open documents along, edits and all", async () => {
    const { disk, buf, docs } = setup();
    disk.put("src/a.py", "a");
    disk.put("src/sub/b.py", "b");
    disk.put("srcs.txt", "not inside src");
    await docs.open("src/a.py");
    await docs.open("src/sub/b.py");
    await docs.open("srcs.txt");
    buf.type("src/a.py", "a edited");
    const version = docs.get("src/a.py")!.version;
    expect(docs.rename("src", "lib")).toEqual([["src/a.py", "lib/a.py"], ["src/sub/b.py", "lib/sub/b.py"]]);
    expect(docs.changes.get().docs.map((d) => d.path)).toEqual(["lib/a.py", "lib/sub/b.py", "srcs.txt"]);
    expect(docs.changes.get().active).toBe("srcs.txt");
    expect(docs.get("lib/a.py")).toMatchObject({ dirty: true, version });
    expect(buf.bufs.get("lib/a.py")!.text).toBe("a edited");
    // The file moved on disk too; saving writes the new path, expecting the same version.
    disk.files.set("lib/a.py", disk.files.get("src/a.py")!);
    await docs.save("lib/a.py");
    expect(disk.writes.at(-1)).toEqual({ path: "lib/a.py", text: "a edited", expected: version });
  });

  it("a removed folder marks every open file below it as deleted", async () => {
    const { disk, docs } = setup();
    disk.put("src/a.py", "a");
    disk.put("src/sub/b.py", "b");
    disk.put("other.py", "o");
    for (const p of ["src/a.py", "src/sub/b.py", "other.py"]) await docs.open(p);
    await docs.applyEvents([{ path: "src", kind: { type: "Removed" } }]);
    expect(docs.changes.get().docs.map((d) => [d.path, d.notice?.kind ?? null])).toEqual([
      ["src/a.py", "deletedOnDisk"],
      ["src/sub/b.py", "deletedOnDisk"],
      ["other.py", null],
    ]);
  });
});
