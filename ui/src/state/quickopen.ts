// Quick-open (Ctrl/Cmd+P): recently opened files first, then the project's files ranked
// by the backend (`searchFiles`, nucleo in Rust). Without that command, a bounded walk of
// the tree through fsList with the palette's matcher stands in, and says so.

import type { Api } from "../ipc";
import type { OptionalApi, PathMatch } from "../ipc/optional";
import { fuzzyMatch } from "./fuzzy";

export interface QuickItem {
  path: string;
  indices: number[];
  recent: boolean;
}

export const QUICK_LIMIT = 50;
/** The fallback walk stops here: enough for small projects, bounded for big ones. */
export const WALK_LIMIT = 5000;

export type QuickApi = Pick<Api, "recentFiles" | "fsList"> & Pick<OptionalApi, "searchFiles">;

export class QuickOpen {
  private recent: string[] = [];
  private walked: string[] | null = null;

  constructor(
    private readonly api: QuickApi,
    private readonly projectId: string,
  ) {}

  /** True when files are ranked by the backend, false on the local fallback. */
  get ranked(): boolean {
    return !!this.api.searchFiles;
  }

  /** Fetches the recent list each time the palette opens (it changes as files open). */
  async prepare(openNow: string[] = []): Promise<void> {
    const fromBackend = await this.api.recentFiles(this.projectId).catch(() => [] as string[]);
    this.recent = [...new Set([...openNow, ...fromBackend])];
  }

  async query(q: string): Promise<QuickItem[]> {
    const query = q.trim();
    if (!query) return this.recent.slice(0, QUICK_LIMIT).map((path) => ({ path, indices: [], recent: true }));
    const hits = this.api.searchFiles ? await this.api.searchFiles(this.projectId, query, QUICK_LIMIT) : await this.localSearch(query);
    return mergeRecent(query, this.recent, hits);
  }

  /** Forget the walked file list (files were created, removed or renamed). */
  invalidate(): void {
    this.walked = null;
  }

  private async localSearch(query: string): Promise<PathMatch[]> {
    this.walked ??= await walk(this.api, this.projectId);
    const out: PathMatch[] = [];
    for (const path of this.walked) {
      const m = fuzzyMatch(query, path);
      if (m) out.push({ path, score: m.score, indices: m.indices });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, QUICK_LIMIT);
  }
}

/** Recent files that match come first (in recency order), then the ranked rest. */
export function mergeRecent(query: string, recent: string[], hits: PathMatch[]): QuickItem[] {
  const byPath = new Map(hits.map((h) => [h.path, h]));
  const first: QuickItem[] = [];
  for (const path of recent) {
    const hit = byPath.get(path);
    const indices = hit?.indices ?? fuzzyMatch(query, path)?.indices;
    if (indices) first.push({ path, indices, recent: true });
  }
  const seen = new Set(first.map((f) => f.path));
  const rest = hits.filter((h) => !seen.has(h.path)).map((h) => ({ path: h.path, indices: h.indices, recent: false }));
  return [...first, ...rest].slice(0, QUICK_LIMIT);
}

async function walk(api: Pick<Api, "fsList">, projectId: string): Promise<string[]> {
  const files: string[] = [];
  const queue = [""];
  while (queue.length > 0 && files.length < WALK_LIMIT) {
    const dir = queue.shift()!;
    const entries = await api.fsList(projectId, dir).catch(() => []);
    for (const e of entries) {
      if (e.ignored) continue;
      if (e.kind === "Dir") queue.push(e.path);
      else if (e.kind === "File") files.push(e.path);
    }
  }
  return files;
}
