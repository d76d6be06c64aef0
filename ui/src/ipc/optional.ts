// Commands other engineers are adding to the backend. Until they appear in the generated
// bindings, the UI codes against their agreed shapes here and asks at run time whether
// the bridge has them (`api` wraps whatever `commands` holds), so features light up
// as soon as the bindings are regenerated, without a UI change.

import { api } from ".";

/** One quick-open hit, ranked in Rust (nucleo); `indices` are matched character positions in `path`. */
export interface PathMatch {
  path: string;
  score: number;
  indices: number[];
}

export interface OptionalApi {
  searchFiles?: (projectId: string, query: string, limit: number) => Promise<PathMatch[]>;
  osReveal?: (projectId: string, path: string) => Promise<null>;
  /** The page heard the window's close request and will decide (within 3 s). */
  windowCloseAck?: () => Promise<void>;
  /** Closes the window for good. */
  windowClose?: () => Promise<null>;
}

/** The backend's event when the user closes the window (tauri-specta names it from `CloseRequested`). */
export const CLOSE_REQUESTED_EVENT = "close-requested";

export function optionalApi(from: object = api): OptionalApi {
  const o = from as Record<string, unknown>;
  return {
    searchFiles: typeof o.searchFiles === "function" ? (o.searchFiles as OptionalApi["searchFiles"]) : undefined,
    osReveal: typeof o.osReveal === "function" ? (o.osReveal as OptionalApi["osReveal"]) : undefined,
    windowCloseAck: typeof o.windowCloseAck === "function" ? (o.windowCloseAck as OptionalApi["windowCloseAck"]) : undefined,
    windowClose: typeof o.windowClose === "function" ? (o.windowClose as OptionalApi["windowClose"]) : undefined,
  };
}
