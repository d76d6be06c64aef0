// The status bar's index item: one short label for the text index and the semantic
// (chunks + vectors) index together, a tooltip with the detail, and whether it needs the
// user's attention. Pure, so every state pair is tested.

import type { IndexStatus, SemanticStatus } from "../ipc/bindings";

export interface IndexLabel {
  text: string;
  title: string;
  /** Something is wrong or switched off: shown in the warning colour. */
  warn: boolean;
  /** Work is going on (or paused): the click pauses or resumes it. */
  busy: boolean;
}

const pct = (done: number, total: number) => (total > 0 ? ` ${Math.min(100, Math.round((done / total) * 100))}%` : "");

function textPart(s: IndexStatus | null): string {
  if (!s) return "Text index: not started";
  switch (s.state) {
    case "Starting":
      return "Text index: starting";
    case "Indexing":
      return `Text index: ${s.filesDone}/${s.filesTotal} files`;
    case "Ready":
      return `Text index: ready (${s.filesTotal} files)`;
    case "Paused":
      return "Text index: paused (searches scan the files)";
    case "Cancelled":
      return "Text index: stopped (searches scan the files)";
    case "Failed":
      return `Text index failed: ${s.message ?? "unknown error"} (searches scan the files)`;
  }
}

function semanticPart(s: SemanticStatus | null): string {
  if (!s) return "Semantic index: not started";
  switch (s.state) {
    case "Starting":
      return "Semantic index: starting";
    case "Chunking":
      return `Semantic index: reading ${s.filesDone}/${s.filesTotal} files`;
    case "Embedding":
      return `Semantic index: embedding ${s.chunksEmbedded}/${s.chunks} chunks${s.chunksPerSecond ? ` (${s.chunksPerSecond.toFixed(0)}/s)` : ""}`;
    case "Ready":
      return `Semantic index: ready (${s.chunks} chunks)`;
    case "Paused":
      return "Semantic index: paused";
    case "Unavailable":
      return `Semantic search unavailable: ${s.message ?? "the model is missing"} (words and symbols still work)`;
    case "Failed":
      return `Semantic index failed: ${s.message ?? "unknown error"}`;
  }
}

export function indexLabel(text: IndexStatus | null, sem: SemanticStatus | null): IndexLabel {
  const title = `${textPart(text)}\n${semanticPart(sem)}`;
  const warn = text?.state === "Failed" || sem?.state === "Failed" || sem?.state === "Unavailable";
  const paused = text?.state === "Paused" || sem?.state === "Paused";
  let label: string;
  if (text?.state === "Indexing") label = `Indexing${pct(text.filesDone, text.filesTotal)}`;
  else if (text?.state === "Starting" || !text) label = "Indexing…";
  else if (sem?.state === "Chunking") label = `Reading code${pct(sem.filesDone, sem.filesTotal)}`;
  else if (sem?.state === "Embedding") label = `Embedding${pct(sem.chunksEmbedded, sem.chunks)}`;
  else if (paused) label = "Index paused";
  else if (warn) label = text?.state === "Failed" ? "Index failed" : "Index: no semantic";
  else label = "Index ready";
  const busy = paused || text?.state === "Indexing" || text?.state === "Starting" || sem?.state === "Chunking" || sem?.state === "Embedding";
  return { text: label, title: busy ? `${title}\nClick to ${paused ? "resume" : "pause"}.` : title, warn, busy };
}
