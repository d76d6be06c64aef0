// The Search panel's state: the query and its toggles, results streamed in batches and
// merged per file, the replace preview, replace (all or one file) with its per-file
// problems, and the one-step undo. Framework-free; the backend arrives as a small
// interface so tests drive it with a fake and the app with the real commands.

import type { FileProblem, IpcError, ReplaceFilePreview, ReplaceMatch, ReplaceResult, RetrievedChunk, SearchBatch, SearchLine, SearchQuery, SearchSummary, UndoResult } from "../../ipc/bindings";
import { toIpcError } from "../../ipc";
import { realTimers, type Timers } from "../../state/persist";
import { writable, type Readable } from "../../state/store";

/**
 * The panel's modes. "text" covers literal and regex search (the regex toggle); "semantic"
 * lights up when the backend offers it. A new mode adds an id here, a label in MODES and
 * a runner in the backend.
 */
export type SearchModeId = "text" | "semantic";

export interface SearchModeInfo {
  id: SearchModeId;
  label: string;
  /** Literal/regex toggles and replace only make sense for text search. */
  textOptions: boolean;
}

export const MODES: readonly SearchModeInfo[] = [
  { id: "text", label: "Text", textOptions: true },
  { id: "semantic", label: "Semantic", textOptions: false },
];

/**
 * A result line: a text match (its `ranges`), a context line, or a semantic hit (a chunk
 * of code from `line` to `hit.endLine`, `text` its first line).
 */
export interface ResultLine extends SearchLine {
  hit?: { endLine: number; label: string; score: number };
}

/** Results as the panel merges them (text batches are this shape already). */
export interface ResultBatch {
  files: Array<{ path: string; lines: ResultLine[] }>;
}

/** What a semantic search gives the panel: hits grouped by file, and why it may be narrower. */
export interface SemanticResult extends ResultBatch {
  note: string | null;
}

/** The semantic index's chunks as result lines, files in the order of their best chunk. */
export function chunksToResults(chunks: RetrievedChunk[]): ResultBatch {
  const files = new Map<string, ResultLine[]>();
  for (const c of chunks) {
    const first = c.content.split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
    const name = c.symbol ? (c.parent ? `${c.parent}.${c.symbol}` : c.symbol) : `lines ${c.lineStart}–${c.lineEnd}`;
    const lines = files.get(c.path) ?? [];
    lines.push({ line: c.lineStart, text: first, context: false, ranges: [], hit: { endLine: c.lineEnd, label: c.symbol ? `${name} (${c.kind})` : name, score: c.score } });
    files.set(c.path, lines);
  }
  return { files: [...files].map(([path, lines]) => ({ path, lines })) };
}

/** What the panel needs from the backend; `searchSemantic` is absent until it exists. */
export interface SearchBackend {
  /** Streams results to `onBatch`; resolves with the summary when the search ends. */
  searchText(projectId: string, query: SearchQuery, onBatch: (b: SearchBatch) => void): Promise<SearchSummary>;
  searchCancel(projectId: string): Promise<null>;
  searchReplacePreview(projectId: string, query: SearchQuery, replacement: string): Promise<{ files: ReplaceFilePreview[]; skipped: FileProblem[] }>;
  searchReplaceApply(projectId: string, query: SearchQuery, replacement: string, files: Array<{ path: string; version: string }>): Promise<ReplaceResult>;
  searchReplaceUndo(projectId: string, undoId: string): Promise<UndoResult>;
  /** Meaning-based search (hybrid with words), one hit per chunk. */
  searchSemantic?: (projectId: string, query: { pattern: string; include: string[] }) => Promise<SemanticResult>;
}

/** The editor side: which files have unsaved edits, and who reloads files we changed. */
export interface SearchHooks {
  isDirty: (path: string) => boolean;
  /** Files changed on disk by a replace or its undo (open clean buffers should reload). */
  changed: (paths: string[]) => void | Promise<void>;
}

export interface SearchOptions {
  mode: SearchModeId;
  pattern: string;
  regex: boolean;
  caseSensitive: boolean;
  wholeWord: boolean;
  /** Comma-separated globs, as typed. */
  include: string;
  exclude: string;
  /** The replace row is shown: results show the preview. */
  replaceOpen: boolean;
  replacement: string;
}

export interface FileResult {
  path: string;
  lines: ResultLine[];
  /** Matched spans in this file. */
  matches: number;
  collapsed: boolean;
}

/** A single match: file, line and the span's index within that line's ranges. */
export interface MatchRef {
  path: string;
  line: number;
  range: number;
}

export type SearchStatus = "idle" | "searching" | "done" | "error";

export interface PreviewState {
  status: "off" | "loading" | "ready" | "error";
  /** The previewed replacements of each file, by path. */
  byFile: Map<string, ReplaceFilePreview>;
  skipped: FileProblem[];
  error: IpcError | null;
}

export interface SearchView {
  options: SearchOptions;
  status: SearchStatus;
  files: FileResult[];
  matches: number;
  summary: SearchSummary | null;
  /** Why a semantic result is narrower than asked (e.g. the model is missing: words only). */
  note: string | null;
  error: IpcError | null;
  current: MatchRef | null;
  preview: PreviewState;
  replacing: boolean;
  /** Files the last replace or undo left alone, and why. */
  problems: FileProblem[];
  /** The last replace, while it can still be undone. */
  undo: { id: string; files: number; replacements: number } | null;
  /** Bumped to ask the view to focus (and select) the query input. */
  focusTick: number;
}

export const SEARCH_DEBOUNCE_MS = 300;
export const PREVIEW_DEBOUNCE_MS = 250;

const SEARCH_KEYS: ReadonlyArray<keyof SearchOptions> = ["mode", "pattern", "regex", "caseSensitive", "wholeWord", "include", "exclude"];

export function defaultOptions(): SearchOptions {
  return { mode: "text", pattern: "", regex: false, caseSensitive: false, wholeWord: false, include: "", exclude: "", replaceOpen: false, replacement: "" };
}

/** Splits "src/**, *.{ts,js}" on commas outside braces; blanks are dropped. */
export function splitGlobs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "{") depth++;
    else if (ch === "}") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((g) => g.trim()).filter((g) => g.length > 0);
}

export function toQuery(o: SearchOptions): SearchQuery {
  return {
    pattern: o.pattern,
    regex: o.regex,
    caseSensitive: o.caseSensitive,
    wholeWord: o.wholeWord,
    include: splitGlobs(o.include),
    exclude: splitGlobs(o.exclude),
    maxResults: null,
    contextLines: null,
  };
}

const spans = (l: ResultLine) => (l.context ? 0 : l.hit ? 1 : l.ranges.length);
const countMatches = (lines: ResultLine[]) => lines.reduce((n, l) => n + spans(l), 0);

/**
 * Merges a batch into the results: new files are appended in arrival order, a file seen
 * before gets its lines merged by line number (a match line wins over a context line).
 */
export function mergeBatch(files: FileResult[], batch: ResultBatch): FileResult[] {
  const out = [...files];
  const at = new Map(out.map((f, i) => [f.path, i]));
  for (const fm of batch.files) {
    const i = at.get(fm.path);
    if (i === undefined) {
      const lines = [...fm.lines].sort((a, b) => a.line - b.line);
      at.set(fm.path, out.length);
      out.push({ path: fm.path, lines, matches: countMatches(lines), collapsed: false });
      continue;
    }
    const byLine = new Map(out[i]!.lines.map((l) => [l.line, l]));
    for (const l of fm.lines) {
      const old = byLine.get(l.line);
      if (!old || (old.context && !l.context)) byLine.set(l.line, l);
    }
    const lines = [...byLine.values()].sort((a, b) => a.line - b.line);
    out[i] = { ...out[i]!, lines, matches: countMatches(lines) };
  }
  return out;
}

/** Every match in display order (files as shown, lines ascending, spans left to right). */
export function allMatches(files: FileResult[]): MatchRef[] {
  const out: MatchRef[] = [];
  for (const f of files) for (const l of f.lines) for (let range = 0; range < spans(l); range++) out.push({ path: f.path, line: l.line, range });
  return out;
}

/** The match `step` places from `current` (wrapping); the first (or last) when there is none. */
export function stepMatch(files: FileResult[], current: MatchRef | null, step: 1 | -1): MatchRef | null {
  const list = allMatches(files);
  if (list.length === 0) return null;
  const i = current ? list.findIndex((m) => m.path === current.path && m.line === current.line && m.range === current.range) : -1;
  if (i < 0) return step === 1 ? list[0]! : list[list.length - 1]!;
  return list[(i + step + list.length) % list.length]!;
}

/** The replacement shown for one span of a result line, if the preview has it. */
export function previewFor(p: PreviewState, path: string, line: number, startColumn: number): ReplaceMatch | null {
  if (p.status !== "ready") return null;
  return p.byFile.get(path)?.matches.find((m) => m.line === line && m.range.start === startColumn) ?? null;
}

export interface Segment {
  text: string;
  /** Index into the line's ranges when this segment is a match. */
  match: number | null;
}

/**
 * A result line cut into plain and matched segments (UTF-16 columns, as the backend
 * sends them), with a long lead-in shortened so the first match stays visible.
 */
export function segments(l: SearchLine, lead = 24): Segment[] {
  const text = l.text;
  const out: Segment[] = [];
  let at = 0;
  const first = l.ranges[0];
  if (first && first.start - 1 > lead) {
    at = first.start - 1 - lead;
    // Start on a word boundary where one is near, and never inside a surrogate pair.
    const space = text.lastIndexOf(" ", at + 8);
    if (space > at - 8 && space < first.start - 1) at = space + 1;
    if (at > 0 && /[\udc00-\udfff]/.test(text[at] ?? "")) at--;
  }
  const skipped = at > 0;
  if (skipped) out.push({ text: "…", match: null });
  l.ranges.forEach((r, i) => {
    const s = Math.max(at, r.start - 1);
    const e = Math.max(s, r.end - 1);
    if (s > at) out.push({ text: text.slice(at, s), match: null });
    out.push({ text: text.slice(s, e), match: i });
    at = e;
  });
  if (at < text.length) out.push({ text: text.slice(at), match: null });
  return out;
}

export class SearchModel {
  private options: SearchOptions = defaultOptions();
  private seq = 0;
  private previewSeq = 0;
  private searchTimer: unknown = null;
  private previewTimer: unknown = null;
  private running: Promise<void> | null = null;
  private readonly state = writable<SearchView>(this.initial());

  constructor(
    private readonly backend: SearchBackend,
    private readonly projectId: string,
    private readonly hooks: SearchHooks,
    private readonly timers: Timers = realTimers,
  ) {}

  get changes(): Readable<SearchView> {
    return this.state;
  }

  get view(): SearchView {
    return this.state.get();
  }

  /** Modes the backend can run now. */
  modes(): SearchModeInfo[] {
    return MODES.filter((m) => m.id !== "semantic" || !!this.backend.searchSemantic);
  }

  /** Changes options; a query change searches again after a pause in typing. */
  set(patch: Partial<SearchOptions>): void {
    const before = this.options;
    if (patch.mode && !this.modes().some((m) => m.id === patch.mode)) patch = { ...patch, mode: before.mode };
    this.options = { ...before, ...patch };
    const searchChanged = SEARCH_KEYS.some((k) => before[k] !== this.options[k]);
    const replaceChanged = before.replacement !== this.options.replacement || before.replaceOpen !== this.options.replaceOpen;
    this.patch(searchChanged ? { options: this.options, problems: [] } : { options: this.options });
    if (searchChanged) this.schedule();
    else if (replaceChanged) this.schedulePreview();
  }

  toggle(key: "regex" | "caseSensitive" | "wholeWord" | "replaceOpen"): void {
    this.set({ [key]: !this.options[key] });
  }

  /** Ctrl+Shift+F: asks the view to focus the query, seeded with `text` when given. */
  focus(text?: string): void {
    if (text !== undefined && text !== "" && text !== this.options.pattern) {
      this.options = { ...this.options, pattern: text };
      this.patch({ options: this.options });
      void this.searchNow();
    }
    this.patch({ focusTick: this.view.focusTick + 1 });
  }

  /** Runs the current query at once (Enter), cancelling a pending or running one. */
  async searchNow(): Promise<void> {
    this.clearTimer("search");
    const seq = ++this.seq;
    const o = this.options;
    this.previewSeq++;
    if (o.pattern === "") {
      if (this.view.status === "searching") void this.backend.searchCancel(this.projectId).catch(() => {});
      this.patch({ status: "idle", files: [], matches: 0, summary: null, note: null, error: null, current: null, preview: offPreview() });
      return;
    }
    const replacing = o.replaceOpen && o.mode === "text";
    this.patch({ status: "searching", files: [], matches: 0, summary: null, note: null, error: null, current: null, preview: replacing ? loadingPreview() : offPreview() });
    const run = (async () => {
      try {
        if (o.mode === "semantic") {
          const found = await this.backend.searchSemantic!(this.projectId, { pattern: o.pattern, include: splitGlobs(o.include) });
          this.take(seq, found);
          if (seq === this.seq) this.patch({ status: "done", note: found.note });
          return;
        }
        const summary = await this.backend.searchText(this.projectId, toQuery(o), (b) => this.take(seq, b));
        if (seq !== this.seq) return;
        this.patch({ status: "done", summary });
        if (replacing) await this.refreshPreview();
      } catch (e) {
        if (seq !== this.seq) return;
        const error = toIpcError(e);
        this.patch({ status: error.code === "Cancelled" ? "done" : "error", error: error.code === "Cancelled" ? null : error });
      }
    })();
    this.running = run;
    await run;
  }

  /** Stops the running search; what arrived so far stays. */
  async cancel(): Promise<void> {
    this.clearTimer("search");
    if (this.view.status !== "searching") return;
    this.seq++;
    this.patch({ status: "done", summary: this.view.summary });
    await this.backend.searchCancel(this.projectId).catch(() => {});
  }

  /** Runs a search or preview still waiting for a pause in typing now, and waits for both. */
  async flush(): Promise<void> {
    if (this.searchTimer !== null) await this.searchNow();
    else await this.running;
    if (this.previewTimer !== null) await this.refreshPreview();
  }

  toggleCollapsed(path: string): void {
    this.patch({ files: this.view.files.map((f) => (f.path === path ? { ...f, collapsed: !f.collapsed } : f)) });
  }

  collapseAll(collapsed = true): void {
    this.patch({ files: this.view.files.map((f) => ({ ...f, collapsed })) });
  }

  /** Marks a match as the current one (a click, or F4); returns it for the caller to open. */
  select(m: MatchRef | null): MatchRef | null {
    this.patch({ current: m });
    return m;
  }

  /** F4 / Shift+F4: the next or previous match (expanding its file), or null. */
  step(dir: 1 | -1): MatchRef | null {
    const m = stepMatch(this.view.files, this.view.current, dir);
    if (m && this.view.files.find((f) => f.path === m.path)?.collapsed) this.toggleCollapsed(m.path);
    return this.select(m);
  }

  /** Computes the replacements the results would get (the backend's preview command). */
  async refreshPreview(): Promise<void> {
    this.clearTimer("preview");
    const o = this.options;
    if (!o.replaceOpen || o.pattern === "" || o.mode !== "text") return this.patch({ preview: offPreview() });
    const seq = ++this.previewSeq;
    this.patch({ preview: { ...this.view.preview, status: "loading" } });
    try {
      const p = await this.backend.searchReplacePreview(this.projectId, toQuery(o), o.replacement);
      if (seq !== this.previewSeq) return;
      this.patch({ preview: { status: "ready", byFile: new Map(p.files.map((f) => [f.path, f])), skipped: p.skipped, error: null } });
    } catch (e) {
      if (seq !== this.previewSeq) return;
      this.patch({ preview: { status: "error", byFile: new Map(), skipped: [], error: toIpcError(e) } });
    }
  }

  /**
   * Replaces in every previewed file (or only `path`). Files with unsaved edits in the
   * editor are left alone and reported, as are files that changed since the preview.
   * Returns null when there was nothing to replace.
   */
  async replace(path?: string): Promise<ReplaceResult | null> {
    if (this.view.replacing || this.options.mode !== "text") return null;
    await this.flush();
    if (this.view.preview.status !== "ready") await this.refreshPreview();
    const p = this.view.preview;
    if (p.status !== "ready") return null;
    const files = [...p.byFile.values()].filter((f) => (path === undefined || f.path === path) && f.matches.length > 0);
    const dirty = files.filter((f) => this.hooks.isDirty(f.path));
    const targets = files.filter((f) => !this.hooks.isDirty(f.path)).map((f) => ({ path: f.path, version: f.version }));
    const unsaved: FileProblem[] = dirty.map((f) => ({ path: f.path, error: { code: "Conflict", message: "it has unsaved changes in the editor: save or revert it first" } }));
    if (targets.length === 0) {
      this.patch({ problems: unsaved });
      return null;
    }
    this.patch({ replacing: true, problems: [] });
    try {
      const res = await this.backend.searchReplaceApply(this.projectId, toQuery(this.options), this.options.replacement, targets);
      this.patch({ problems: [...res.failed, ...unsaved], undo: res.changed.length > 0 ? { id: res.undoId, files: res.changed.length, replacements: res.replacements } : this.view.undo });
      await this.hooks.changed(res.changed.map((c) => c.path));
      return res;
    } catch (e) {
      this.patch({ problems: [...targets.map((t) => ({ path: t.path, error: toIpcError(e) })), ...unsaved] });
      return null;
    } finally {
      this.patch({ replacing: false });
      await this.searchNow();
    }
  }

  /** Undoes the last replace as one step; files edited since are kept and reported. */
  async undo(): Promise<UndoResult | null> {
    const u = this.view.undo;
    if (!u) return null;
    try {
      const res = await this.backend.searchReplaceUndo(this.projectId, u.id);
      this.patch({ undo: null, problems: res.failed });
      await this.hooks.changed(res.restored);
      return res;
    } catch (e) {
      this.patch({ problems: [{ path: "", error: toIpcError(e) }] });
      return null;
    } finally {
      await this.searchNow();
    }
  }

  /** Stops timers and any running search (the project is closing). */
  dispose(): void {
    this.clearTimer("search");
    this.clearTimer("preview");
    if (this.view.status === "searching") void this.backend.searchCancel(this.projectId).catch(() => {});
    this.seq++;
  }

  private take(seq: number, batch: ResultBatch): void {
    // A batch of a search that was replaced by a newer one is dropped.
    if (seq !== this.seq) return;
    const files = mergeBatch(this.view.files, batch);
    this.patch({ files, matches: files.reduce((n, f) => n + f.matches, 0) });
  }

  private schedule(): void {
    this.clearTimer("search");
    this.searchTimer = this.timers.setTimeout(() => {
      this.searchTimer = null;
      void this.searchNow();
    }, SEARCH_DEBOUNCE_MS);
  }

  private schedulePreview(): void {
    this.clearTimer("preview");
    if (!this.options.replaceOpen) return this.patch({ preview: offPreview() });
    this.patch({ preview: { ...this.view.preview, status: "loading" } });
    this.previewTimer = this.timers.setTimeout(() => {
      this.previewTimer = null;
      void this.refreshPreview();
    }, PREVIEW_DEBOUNCE_MS);
  }

  private clearTimer(which: "search" | "preview"): void {
    const t = which === "search" ? this.searchTimer : this.previewTimer;
    if (t !== null) this.timers.clearTimeout(t);
    if (which === "search") this.searchTimer = null;
    else this.previewTimer = null;
  }

  private initial(): SearchView {
    return { options: this.options, status: "idle", files: [], matches: 0, summary: null, note: null, error: null, current: null, preview: offPreview(), replacing: false, problems: [], undo: null, focusTick: 0 };
  }

  private patch(p: Partial<SearchView>): void {
    this.state.set({ ...this.state.get(), ...p });
  }
}

function offPreview(): PreviewState {
  return { status: "off", byFile: new Map(), skipped: [], error: null };
}

function loadingPreview(): PreviewState {
  return { status: "loading", byFile: new Map(), skipped: [], error: null };
}
