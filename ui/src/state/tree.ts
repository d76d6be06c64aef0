// Explorer tree state: listings are fetched lazily, one folder at a time, and
// refreshed only where a file-system event says something changed.

import type { DirEntry, FsEvent } from "../ipc/bindings";
import { toIpcError, type Api, type IpcError } from "../ipc";
import { isWithin, parentOf } from "./paths";
import { writable, type Readable } from "./store";

export type TreeApi = Pick<Api, "fsList">;

/** Folders first, then names in a human order ("file2" before "file10"), case-insensitive. */
export function sortEntries(entries: DirEntry[]): DirEntry[] {
  const rank = (e: DirEntry) => (e.kind === "Dir" ? 0 : 1);
  return [...entries].sort(
    (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: "base" }),
  );
}

/**
 * Folders whose listing an event batch may have changed. Only folders already
 * listed matter: the rest are fetched fresh when the user expands them.
 */
export function affectedDirs(events: FsEvent[], loaded: Iterable<string>): Set<string> {
  const known = new Set(loaded);
  const out = new Set<string>();
  for (const ev of events) {
    if (ev.kind.type === "Rescan") {
      // Too much changed under ev.path: re-list every loaded folder inside it.
      for (const dir of known) if (isWithin(dir, ev.path)) out.add(dir);
      continue;
    }
    const touched = [parentOf(ev.path)];
    if (ev.kind.type === "Renamed") touched.push(parentOf(ev.kind.from));
    for (const dir of touched) if (known.has(dir)) out.add(dir);
  }
  return out;
}

export interface TreeRow {
  entry: DirEntry;
  depth: number;
}

export interface TreeView {
  /** A fresh object on every change, so components re-read through `state`'s getters. */
  tick: number;
  state: TreeState;
}

export class TreeState {
  private listings = new Map<string, DirEntry[]>();
  private expanded = new Set<string>([""]);
  private loading = new Set<string>();
  private errors = new Map<string, IpcError>();
  // A later request for the same folder wins even if an earlier one answers last.
  private seq = new Map<string, number>();
  private readonly view = writable<TreeView>({ tick: 0, state: this });

  constructor(
    private readonly api: TreeApi,
    private readonly projectId: string,
  ) {}

  get changes(): Readable<TreeView> {
    return this.view;
  }

  children(dir: string): DirEntry[] | undefined {
    return this.listings.get(dir);
  }
  isExpanded(dir: string): boolean {
    return this.expanded.has(dir);
  }
  isLoading(dir: string): boolean {
    return this.loading.has(dir);
  }
  error(dir: string): IpcError | undefined {
    return this.errors.get(dir);
  }
  /** The rows the explorer shows, in order: expanded folders' children follow them. */
  visibleRows(dir = "", depth = 0, out: TreeRow[] = []): TreeRow[] {
    for (const entry of this.listings.get(dir) ?? []) {
      out.push({ entry, depth });
      if (entry.kind === "Dir" && this.expanded.has(entry.path)) this.visibleRows(entry.path, depth + 1, out);
    }
    return out;
  }

  /** Expands a folder and its ancestors (reveal a file), listing what is missing. */
  async reveal(path: string): Promise<void> {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      this.expanded.add(dir);
      if (!this.listings.has(dir)) await this.load(dir);
    }
    this.bump();
  }

  loadedDirs(): string[] {
    return [...this.listings.keys()];
  }

  async load(dir: string): Promise<void> {
    const n = (this.seq.get(dir) ?? 0) + 1;
    this.seq.set(dir, n);
    this.loading.add(dir);
    this.bump();
    try {
      const entries = await this.api.fsList(this.projectId, dir);
      if (this.seq.get(dir) !== n) return;
      this.listings.set(dir, sortEntries(entries));
      this.errors.delete(dir);
    } catch (e) {
      if (this.seq.get(dir) !== n) return;
      this.errors.set(dir, toIpcError(e));
    } finally {
      if (this.seq.get(dir) === n) {
        this.loading.delete(dir);
        this.bump();
      }
    }
  }

  async toggle(dir: string): Promise<void> {
    if (this.expanded.has(dir)) {
      this.expanded.delete(dir);
      this.bump();
      return;
    }
    this.expanded.add(dir);
    this.bump();
    if (!this.listings.has(dir)) await this.load(dir);
  }

  /** Re-lists the folders an event batch touched and forgets removed subtrees. */
  async applyEvents(events: FsEvent[]): Promise<void> {
    for (const ev of events) {
      const gone = ev.kind.type === "Removed" ? ev.path : ev.kind.type === "Renamed" ? ev.kind.from : null;
      if (gone !== null && gone !== "") this.forget(gone);
    }
    const dirs = affectedDirs(events, this.listings.keys());
    await Promise.all([...dirs].map((d) => this.load(d)));
  }

  private forget(path: string): void {
    for (const key of [...this.listings.keys()]) if (isWithin(key, path)) this.listings.delete(key);
    for (const key of [...this.expanded]) if (isWithin(key, path)) this.expanded.delete(key);
  }

  private bump(): void {
    this.view.update((v) => ({ tick: v.tick + 1, state: this }));
  }
}
