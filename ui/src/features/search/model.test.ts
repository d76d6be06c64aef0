import { describe, expect, it } from "vitest";
import type { FileMatches, ReplaceFilePreview, SearchBatch, SearchLine, SearchQuery, SearchSummary } from "../../ipc/bindings";
import { IpcError } from "../../ipc";
import type { Timers } from "../../state/persist";
import type { RetrievedChunk } from "../../ipc/bindings";
import { SearchModel, allMatches, chunksToResults, mergeBatch, previewFor, segments, splitGlobs, stepMatch, toQuery, defaultOptions, type SearchBackend, type FileResult } from "./model";

const m = (line: number, text: string, ...cols: Array<[number, number]>): SearchLine => ({
  line,
  text,
  context: false,
  ranges: cols.map(([start, end]) => ({ start, end, startByte: start - 1, endByte: end - 1 })),
});
const ctx = (line: number, text: string): SearchLine => ({ line, text, context: true, ranges: [] });
const file = (path: string, ...lines: SearchLine[]): FileMatches => ({ path, lines });
const summary = (files: number, extra: Partial<SearchSummary> = {}): SearchSummary => ({
  files, lines: files, matches: files, filesSearched: files, usedIndex: true, truncated: false, cancelled: false, elapsedMs: 1, ...extra,
});

/** Timers that fire only when the test says so. */
class ManualTimers implements Timers {
  private next = 1;
  pending = new Map<number, () => void>();
  setTimeout = (fn: () => void) => (this.pending.set(this.next, fn), this.next++);
  clearTimeout = (t: unknown) => void this.pending.delete(t as number);
  fire() {
    const fns = [...this.pending.values()];
    this.pending.clear();
    fns.forEach((f) => f());
  }
}

/** A backend whose searches stay open until the test resolves them, batch by batch. */
class FakeBackend implements SearchBackend {
  calls: Array<{ query: SearchQuery; onBatch: (b: SearchBatch) => void; done: (s: SearchSummary) => void; fail: (e: unknown) => void }> = [];
  cancels = 0;
  previews: Array<{ query: SearchQuery; replacement: string }> = [];
  preview: ReplaceFilePreview[] = [];
  applied: Array<{ replacement: string; files: Array<{ path: string; version: string }> }> = [];
  undone: string[] = [];
  conflict = new Set<string>();
  searchSemantic?: SearchBackend["searchSemantic"];

  searchText(_p: string, query: SearchQuery, onBatch: (b: SearchBatch) => void): Promise<SearchSummary> {
    return new Promise((done, fail) => this.calls.push({ query, onBatch, done, fail }));
  }
  async searchCancel(): Promise<null> {
    this.cancels++;
    return null;
  }
  async searchReplacePreview(_p: string, query: SearchQuery, replacement: string) {
    this.previews.push({ query, replacement });
    return { files: this.preview, skipped: [] };
  }
  async searchReplaceApply(_p: string, _q: SearchQuery, replacement: string, files: Array<{ path: string; version: string }>) {
    this.applied.push({ replacement, files });
    const ok = files.filter((f) => !this.conflict.has(f.path));
    return {
      undoId: "u1",
      changed: ok.map((f) => ({ path: f.path, version: f.version + "'" })),
      replacements: ok.length,
      failed: files.filter((f) => this.conflict.has(f.path)).map((f) => ({ path: f.path, error: { code: "Conflict" as const, message: "changed on disk" } })),
    };
  }
  async searchReplaceUndo(_p: string, undoId: string) {
    this.undone.push(undoId);
    return { restored: this.applied.at(-1)!.files.filter((f) => !this.conflict.has(f.path)).map((f) => f.path), failed: [] };
  }
  /** Answers the latest search with these files, one batch each, then the summary. */
  answer(...files: FileMatches[]) {
    const c = this.calls.at(-1)!;
    for (const f of files) c.onBatch({ files: [f] });
    c.done(summary(files.length));
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup(dirty: string[] = []) {
  const backend = new FakeBackend();
  const timers = new ManualTimers();
  const changed: string[][] = [];
  const model = new SearchModel(backend, "p", { isDirty: (p) => dirty.includes(p), changed: (paths) => void changed.push(paths) }, timers);
  return { backend, timers, changed, model };
}

function chunk(path: string, lineStart: number, lineEnd: number, symbol: string | null, parent: string | null = null): RetrievedChunk {
  return { path, language: "rust", symbol, kind: symbol ? "function" : "lines", parent, lineStart, lineEnd, content: "\n  fn first_line() {\n}", score: 1, bm25Rank: 1, vectorRank: null, stale: false } as RetrievedChunk;
}

describe("chunksToResults", () => {
  it("groups chunks by file in rank order, labelled by symbol (with its parent) or line span", () => {
    const r = chunksToResults([chunk("a.rs", 30, 40, "open", "Config"), chunk("b.rs", 1, 9, null), chunk("a.rs", 2, 8, "new")]);
    expect(r.files.map((f) => f.path)).toEqual(["a.rs", "b.rs"]);
    expect(r.files[0]!.lines.map((l) => [l.line, l.hit?.endLine, l.hit?.label, l.text])).toEqual([
      [30, 40, "Config.open (function)", "fn first_line() {"],
      [2, 8, "new (function)", "fn first_line() {"],
    ]);
    expect(r.files[1]!.lines[0]!.hit?.label).toBe("lines 1–9");
  });
});

describe("globs and queries", () => {
  it("splits include/exclude on commas outside braces", () => {
    expect(splitGlobs(" src/**, *.{ts,js} ,, docs ")).toEqual(["src/**", "*.{ts,js}", "docs"]);
    expect(splitGlobs("   ")).toEqual([]);
  });

  it("builds the backend query from the toggles", () => {
    const q = toQuery({ ...defaultOptions(), pattern: "a.b", regex: true, wholeWord: true, include: "*.rs", exclude: "target/**, *.lock" });
    expect(q).toEqual({ pattern: "a.b", regex: true, caseSensitive: false, wholeWord: true, include: ["*.rs"], exclude: ["target/**", "*.lock"], maxResults: null, contextLines: null });
  });
});

describe("mergeBatch", () => {
  it("groups by file in arrival order and counts matched spans", () => {
    const r = mergeBatch([], { files: [file("b.rs", m(3, "x x", [1, 2], [3, 4])), file("a.rs", m(1, "x", [1, 2]))] });
    expect(r.map((f) => [f.path, f.matches])).toEqual([["b.rs", 2], ["a.rs", 1]]);
  });

  it("merges a file seen again by line number; a match line replaces a context line", () => {
    let r = mergeBatch([], { files: [file("a.rs", m(5, "foo", [1, 4]), ctx(6, "bar"))] });
    r = mergeBatch(r, { files: [file("a.rs", m(6, "bar foo", [5, 8]), m(2, "foo", [1, 4]), ctx(5, "foo"))] });
    expect(r).toHaveLength(1);
    expect(r[0]!.lines.map((l) => [l.line, l.context])).toEqual([[2, false], [5, false], [6, false]]);
    expect(r[0]!.matches).toBe(3);
  });
});

describe("navigation", () => {
  const files: FileResult[] = mergeBatch([], { files: [file("a", m(1, "xx", [1, 2], [2, 3])), file("b", m(4, "x", [1, 2]))] });

  it("lists every span in order and steps with wrap-around", () => {
    expect(allMatches(files)).toEqual([{ path: "a", line: 1, range: 0 }, { path: "a", line: 1, range: 1 }, { path: "b", line: 4, range: 0 }]);
    expect(stepMatch(files, null, 1)).toEqual({ path: "a", line: 1, range: 0 });
    expect(stepMatch(files, null, -1)).toEqual({ path: "b", line: 4, range: 0 });
    expect(stepMatch(files, { path: "b", line: 4, range: 0 }, 1)).toEqual({ path: "a", line: 1, range: 0 });
    expect(stepMatch(files, { path: "a", line: 1, range: 0 }, -1)).toEqual({ path: "b", line: 4, range: 0 });
    expect(stepMatch([], null, 1)).toBeNull();
  });

  it("F4 expands a collapsed file to show the match it moves to", async () => {
    const { backend, model, timers } = setup();
    model.set({ pattern: "x" });
    timers.fire();
    backend.answer(file("a", m(1, "x", [1, 2])), file("b", m(4, "x", [1, 2])));
    await model.flush();
    model.collapseAll();
    model.step(1);
    expect(model.view.current).toEqual({ path: "a", line: 1, range: 0 });
    expect(model.view.files.find((f) => f.path === "a")!.collapsed).toBe(false);
    expect(model.view.files.find((f) => f.path === "b")!.collapsed).toBe(true);
  });
});

describe("segments", () => {
  it("cuts a line at UTF-16 columns (an emoji is two units)", () => {
    // "😀 foo" : the emoji takes columns 1-2, space 3, "foo" 4..6.
    expect(segments(m(1, "😀 foo bar", [4, 7]))).toEqual([
      { text: "😀 ", match: null },
      { text: "foo", match: 0 },
      { text: " bar", match: null },
    ]);
  });

  it("shortens a long lead-in so the match stays visible", () => {
    const text = "word ".repeat(20) + "target end";
    const col = text.indexOf("target") + 1;
    const segs = segments(m(1, text, [col, col + 6]));
    expect(segs[0]).toEqual({ text: "…", match: null });
    expect(segs.find((s) => s.match === 0)?.text).toBe("target");
    expect(segs.map((s) => s.text).join("").length).toBeLessThan(text.length);
  });
});

describe("SearchModel", () => {
  it("searches after a pause in typing, once, with the latest text", async () => {
    const { backend, model, timers } = setup();
    model.set({ pattern: "f" });
    model.set({ pattern: "fo" });
    model.set({ pattern: "foo", caseSensitive: true });
    expect(backend.calls).toHaveLength(0);
    timers.fire();
    expect(backend.calls.map((c) => [c.query.pattern, c.query.caseSensitive])).toEqual([["foo", true]]);
    expect(model.view.status).toBe("searching");
  });

  it("shows batches as they stream in and ends with the summary", async () => {
    const { backend, model } = setup();
    model.set({ pattern: "foo" });
    const done = model.searchNow();
    const c = backend.calls[0]!;
    c.onBatch({ files: [file("a.rs", m(1, "foo", [1, 4]))] });
    expect(model.view.files.map((f) => f.path)).toEqual(["a.rs"]);
    expect(model.view.status).toBe("searching");
    c.onBatch({ files: [file("b.rs", m(2, "foo foo", [1, 4], [5, 8]))] });
    expect(model.view.matches).toBe(3);
    c.done(summary(2));
    await done;
    expect(model.view.status).toBe("done");
    expect(model.view.summary?.files).toBe(2);
  });

  it("a new query drops the old search's late batches", async () => {
    const { backend, model } = setup();
    model.set({ pattern: "old" });
    void model.searchNow();
    const old = backend.calls[0]!;
    model.set({ pattern: "new" });
    const next = model.searchNow();
    old.onBatch({ files: [file("stale.rs", m(1, "old", [1, 4]))] });
    old.done(summary(1, { cancelled: true }));
    backend.answer(file("fresh.rs", m(1, "new", [1, 4])));
    await next;
    expect(model.view.files.map((f) => f.path)).toEqual(["fresh.rs"]);
    expect(model.view.summary?.cancelled).toBe(false);
  });

  it("reports a bad pattern by its code and clears on an empty query", async () => {
    const { backend, model } = setup();
    model.set({ pattern: "(", regex: true });
    const run = model.searchNow();
    backend.calls[0]!.fail({ code: "InvalidInput", message: "unclosed group" });
    await run;
    expect(model.view.status).toBe("error");
    expect(model.view.error).toEqual(new IpcError("InvalidInput", "unclosed group"));
    model.set({ pattern: "" });
    await model.searchNow();
    expect(model.view.status).toBe("idle");
    expect(model.view.error).toBeNull();
    expect(backend.calls).toHaveLength(1);
  });

  it("seeds the query from the editor selection when focused", async () => {
    const { backend, model } = setup();
    const tick0 = model.view.focusTick;
    model.focus("selected");
    expect(model.view.options.pattern).toBe("selected");
    expect(model.view.focusTick).toBe(tick0 + 1);
    expect(backend.calls.map((c) => c.query.pattern)).toEqual(["selected"]);
  });

  it("semantic mode is offered only when the backend has it", () => {
    expect(setup().model.modes().map((x) => x.id)).toEqual(["text"]);
    const { model } = setup();
    model.set({ mode: "semantic" });
    expect(model.view.options.mode).toBe("text");
  });

  it("semantic mode lists one hit per chunk, with the backend's note, and steps through them", async () => {
    const { backend, model } = setup();
    const asked: Array<{ pattern: string; include: string[] }> = [];
    backend.searchSemantic = async (_p, q) => (asked.push(q), { ...chunksToResults([chunk("b.rs", 10, 20, "parse"), chunk("a.rs", 1, 5, null)]), note: "words only: the model is missing" });
    expect(model.modes().map((x) => x.id)).toEqual(["text", "semantic"]);
    model.set({ mode: "semantic", pattern: "read the config", include: "src/**", replaceOpen: true });
    await model.searchNow();
    expect(asked).toEqual([{ pattern: "read the config", include: ["src/**"] }]);
    expect(backend.calls).toHaveLength(0);
    expect(backend.previews).toHaveLength(0); // replace is a text-mode thing
    expect(model.view.files.map((f) => [f.path, f.matches])).toEqual([["b.rs", 1], ["a.rs", 1]]);
    expect(model.view.note).toBe("words only: the model is missing");
    expect(model.step(1)).toEqual({ path: "b.rs", line: 10, range: 0 });
    expect(model.step(1)).toEqual({ path: "a.rs", line: 1, range: 0 });
  });
});

describe("replace", () => {
  const previewOf = (path: string, version: string, line: number, start: number, end: number, matched: string, replacement: string): ReplaceFilePreview => ({
    path,
    version,
    matches: [{ line, range: { start, end, startByte: start - 1, endByte: end - 1 }, matched, replacement }],
  });

  async function withResults(dirty: string[] = []) {
    const s = setup(dirty);
    s.backend.preview = [previewOf("a.rs", "va", 1, 1, 4, "foo", "bar"), previewOf("b.rs", "vb", 2, 5, 8, "foo", "bar"), previewOf("c.rs", "vc", 3, 1, 4, "foo", "bar")];
    s.model.set({ pattern: "foo", replaceOpen: true, replacement: "bar" });
    const run = s.model.searchNow();
    s.backend.answer(file("a.rs", m(1, "foo", [1, 4])), file("b.rs", m(2, "let foo", [5, 8])), file("c.rs", m(3, "foo", [1, 4])));
    await run;
    return s;
  }

  it("previews each match's replacement once the search is done", async () => {
    const { model, backend } = await withResults();
    expect(backend.previews.map((p) => p.replacement)).toEqual(["bar"]);
    expect(previewFor(model.view.preview, "b.rs", 2, 5)?.replacement).toBe("bar");
    expect(previewFor(model.view.preview, "b.rs", 2, 1)).toBeNull();
  });

  it("typing a new replacement refreshes the preview after a pause", async () => {
    const { model, backend, timers } = await withResults();
    model.set({ replacement: "baz" });
    expect(model.view.preview.status).toBe("loading");
    expect(backend.calls).toHaveLength(1); // the search itself does not run again
    timers.fire();
    await model.flush();
    expect(backend.previews.map((p) => p.replacement)).toEqual(["bar", "baz"]);
  });

  it("replace all skips files dirty in the editor, reports conflicts per file, reloads the changed ones", async () => {
    const { model, backend, changed } = await withResults(["c.rs"]);
    backend.conflict.add("b.rs");
    const run = model.replace();
    await tick();
    backend.answer(file("b.rs", m(2, "let foo", [5, 8])), file("c.rs", m(3, "foo", [1, 4]))); // the search run after replacing
    const res = await run;
    expect(backend.applied).toEqual([{ replacement: "bar", files: [{ path: "a.rs", version: "va" }, { path: "b.rs", version: "vb" }] }]);
    expect(res?.changed.map((c) => c.path)).toEqual(["a.rs"]);
    expect(changed).toEqual([["a.rs"]]);
    expect(model.view.problems.map((p) => [p.path, p.error.code])).toEqual([["b.rs", "Conflict"], ["c.rs", "Conflict"]]);
    expect(model.view.undo).toEqual({ id: "u1", files: 1, replacements: 1 });
    expect(model.view.files.map((f) => f.path)).toEqual(["b.rs", "c.rs"]);
  });

  it("replace in one file sends only that file; undo restores it as one step", async () => {
    const { model, backend, changed } = await withResults();
    const run = model.replace("b.rs");
    await tick();
    backend.answer(file("a.rs", m(1, "foo", [1, 4])), file("c.rs", m(3, "foo", [1, 4])));
    await run;
    expect(backend.applied[0]!.files).toEqual([{ path: "b.rs", version: "vb" }]);
    const undo = model.undo();
    await tick();
    backend.answer(file("a.rs", m(1, "foo", [1, 4])), file("b.rs", m(2, "let foo", [5, 8])), file("c.rs", m(3, "foo", [1, 4])));
    const res = await undo;
    expect(backend.undone).toEqual(["u1"]);
    expect(res?.restored).toEqual(["b.rs"]);
    expect(changed).toEqual([["b.rs"], ["b.rs"]]);
    expect(model.view.undo).toBeNull();
    expect(model.view.files).toHaveLength(3);
    expect(await model.undo()).toBeNull(); // nothing left to undo
  });

  it("does nothing when every target has unsaved edits", async () => {
    const { model, backend } = await withResults(["a.rs", "b.rs", "c.rs"]);
    expect(await model.replace()).toBeNull();
    expect(backend.applied).toHaveLength(0);
    expect(model.view.problems).toHaveLength(3);
  });
});
