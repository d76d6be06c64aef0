// The text index's "index-progress" event (issue: search) as a status-bar progress entry.
// The shape mirrors aura-index's IndexStatus; it is read defensively because the event
// is not in the generated bindings yet.

export const INDEX_PROGRESS_EVENT = "index-progress";

export interface IndexProgressPayload {
  projectId: string;
  status: { state: string; filesDone: number; filesTotal: number; etaMs: number | null; message: string | null };
}

/** A progress entry while the index works; null once it is ready, paused or stopped. */
export function indexProgressEntry(p: IndexProgressPayload): { title: string; fraction: number | null } | null {
  const s = p.status;
  if (s?.state === "Starting") return { title: "Indexing", fraction: null };
  if (s?.state !== "Indexing") return null;
  const total = Number(s.filesTotal) || 0;
  const done = Number(s.filesDone) || 0;
  return { title: total ? `Indexing ${done}/${total} files` : "Indexing", fraction: total ? done / total : null };
}
