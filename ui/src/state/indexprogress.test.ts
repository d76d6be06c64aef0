import { describe, expect, it } from "vitest";
import { indexProgressEntry } from "./indexprogress";

const ev = (state: string, filesDone = 0, filesTotal = 0) => ({ projectId: "p", status: { state, filesDone, filesTotal, etaMs: null, message: null } });

describe("indexProgressEntry", () => {
  it("shows progress while starting and indexing, nothing afterwards", () => {
    expect(indexProgressEntry(ev("Starting"))).toEqual({ title: "Indexing", fraction: null });
    expect(indexProgressEntry(ev("Indexing", 25, 100))).toEqual({ title: "Indexing 25/100 files", fraction: 0.25 });
    expect(indexProgressEntry(ev("Ready", 100, 100))).toBeNull();
    expect(indexProgressEntry(ev("Failed"))).toBeNull();
  });
});
