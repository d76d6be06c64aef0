// Reviewing an AI edit: which hunks are accepted, and the text that would result, so the
// diff editor shows exactly what Apply will write.

import type { EditAction, Hunk } from "../../ipc/bindings";

export const EDIT_ACTIONS: Array<{ action: EditAction; title: string; needsText: boolean; prose: boolean }> = [
  { action: "refine", title: "Refine…", needsText: true, prose: false },
  { action: "refactor", title: "Refactor", needsText: false, prose: false },
  { action: "explain", title: "Explain", needsText: false, prose: true },
  { action: "addDocs", title: "Add Docs", needsText: false, prose: false },
  { action: "addTypes", title: "Add Types", needsText: false, prose: false },
  { action: "securityAudit", title: "Security Audit", needsText: false, prose: true },
  { action: "optimize", title: "Optimize", needsText: false, prose: false },
  { action: "fixError", title: "Fix Error", needsText: true, prose: false },
];

export class HunkReview {
  private accepted: Set<number>;

  constructor(readonly hunks: Hunk[]) {
    this.accepted = new Set(hunks.map((h) => h.id));
  }

  isAccepted(id: number): boolean {
    return this.accepted.has(id);
  }

  toggle(id: number): void {
    if (!this.hunks.some((h) => h.id === id)) return;
    if (this.accepted.has(id)) this.accepted.delete(id);
    else this.accepted.add(id);
  }

  acceptAll(): void {
    this.accepted = new Set(this.hunks.map((h) => h.id));
  }

  rejectAll(): void {
    this.accepted.clear();
  }

  ids(): number[] {
    return this.hunks.map((h) => h.id).filter((id) => this.accepted.has(id));
  }

  /** `original` with the accepted hunks applied (what Apply writes if nothing changed). */
  result(original: string): string {
    const lines = original.match(/[^\n]*\n|[^\n]+$/g) ?? [];
    const chosen = this.hunks.filter((h) => this.accepted.has(h.id)).sort((a, b) => a.oldStart - b.oldStart);
    let out = "";
    let next = 0;
    for (const h of chosen) {
      const start = h.oldStart - 1;
      out += lines.slice(next, start).join("") + h.newText;
      next = start + h.oldLines;
    }
    return out + lines.slice(next).join("");
  }
}

/** The last error from a run, for "Fix Error" (the Run panel records it). */
export { getLastError, setLastError } from "../../state/lasterror";
