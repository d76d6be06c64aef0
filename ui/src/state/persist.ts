// Per-project UI session (layout + open tabs) as JSON the UI owns, stored by the
// backend through sessionSave/sessionLoad. Saving is debounced: layout drags and tab
// switches produce bursts of changes.

import type { Api } from "../ipc";
import { normalizeLayout, type Layout } from "./layout";
import type { SavedGroups } from "./groups";

export const SESSION_VERSION = 1;

export interface SavedSession {
  v: number;
  layout: Layout;
  editor: SavedGroups;
}

export function serializeSession(layout: Layout, editor: SavedGroups): string {
  return JSON.stringify({ v: SESSION_VERSION, layout, editor } satisfies SavedSession);
}

/** Parses saved JSON; anything unreadable yields defaults rather than an error. */
export function parseSession(json: string | null): SavedSession {
  let raw: unknown = null;
  try {
    raw = json ? JSON.parse(json) : null;
  } catch {
    raw = null;
  }
  const r = (raw && typeof raw === "object" ? raw : {}) as { layout?: unknown; editor?: { groups?: unknown; focused?: unknown } };
  const groups = Array.isArray(r.editor?.groups)
    ? r.editor.groups
        .filter((g): g is { tabs: unknown[]; active?: unknown } => !!g && Array.isArray((g as { tabs?: unknown }).tabs))
        .map((g) => ({
          tabs: g.tabs.filter((t): t is string => typeof t === "string"),
          active: typeof g.active === "string" ? g.active : null,
        }))
    : [];
  const focused = typeof r.editor?.focused === "number" ? r.editor.focused : 0;
  return { v: SESSION_VERSION, layout: normalizeLayout(r.layout), editor: { groups, focused } };
}

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (t: unknown) => void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (t) => globalThis.clearTimeout(t as ReturnType<typeof setTimeout>),
};

/** Writes the session a short while after the last change, and at once on flush(). */
export class SessionSaver {
  private timer: unknown = null;
  private last: string | null = null;

  constructor(
    private readonly api: Pick<Api, "sessionSave">,
    private readonly projectId: string,
    private readonly current: () => string,
    private readonly delayMs = 400,
    private readonly timers: Timers = realTimers,
  ) {}

  changed(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => void this.flush(), this.delayMs);
  }

  async flush(): Promise<void> {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const json = this.current();
    if (json === this.last) return;
    this.last = json;
    // Losing the layout is not worth interrupting the user for.
    await this.api.sessionSave(this.projectId, json).catch(() => (this.last = null));
  }
}
