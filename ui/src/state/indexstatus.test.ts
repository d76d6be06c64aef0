import { describe, expect, it } from "vitest";
import type { IndexStatus, SemanticStatus } from "../ipc/bindings";
import { indexLabel } from "./indexstatus";

const text = (state: IndexStatus["state"], filesDone = 0, filesTotal = 0, message: string | null = null): IndexStatus => ({ state, filesDone, filesTotal, etaMs: null, message });
const sem = (state: SemanticStatus["state"], extra: Partial<SemanticStatus> = {}): SemanticStatus => ({
  state, filesDone: 0, filesTotal: 0, chunks: 0, chunksEmbedded: 0, chunksPerSecond: null, etaMs: null, message: null, ...extra,
});

describe("indexLabel", () => {
  it("shows the text index's progress first, then the semantic index's", () => {
    expect(indexLabel(text("Indexing", 25, 100), sem("Chunking")).text).toBe("Indexing 25%");
    expect(indexLabel(text("Ready", 100, 100), sem("Chunking", { filesDone: 1, filesTotal: 4 })).text).toBe("Reading code 25%");
    expect(indexLabel(text("Ready", 100, 100), sem("Embedding", { chunks: 10, chunksEmbedded: 5, chunksPerSecond: 14.6 }))).toMatchObject({ text: "Embedding 50%", busy: true });
    expect(indexLabel(text("Ready", 100, 100), sem("Ready", { chunks: 900 }))).toEqual({
      text: "Index ready",
      title: "Text index: ready (100 files)\nSemantic index: ready (900 chunks)",
      warn: false,
      busy: false,
    });
  });

  it("flags a missing model with its fix, and failures, without hiding that words still work", () => {
    const l = indexLabel(text("Ready", 3, 3), sem("Unavailable", { message: "run scripts/setup" }));
    expect(l).toMatchObject({ text: "Index: no semantic", warn: true, busy: false });
    expect(l.title).toContain("run scripts/setup");
    expect(l.title).toContain("words and symbols still work");
    expect(indexLabel(text("Failed", 0, 0, "disk full"), null)).toMatchObject({ text: "Index failed", warn: true });
  });

  it("offers resume while paused and pause while working", () => {
    expect(indexLabel(text("Paused"), sem("Paused"))).toMatchObject({ text: "Index paused", busy: true });
    expect(indexLabel(text("Paused"), sem("Paused")).title).toContain("Click to resume.");
    expect(indexLabel(text("Indexing", 1, 2), null).title).toContain("Click to pause.");
    expect(indexLabel(null, null).text).toBe("Indexing…");
  });
});
