import { describe, expect, it } from "vitest";
import type { Hunk } from "../../ipc/bindings";
import { HunkReview } from "./review";

const original = "a\nb\nc\nd\ne\n";
const hunks: Hunk[] = [
  { id: 1, oldStart: 2, oldLines: 1, newStart: 2, newLines: 1, oldText: "b\n", newText: "B\n" },
  { id: 2, oldStart: 5, oldLines: 1, newStart: 5, newLines: 2, oldText: "e\n", newText: "e2\nf\n" },
  { id: 3, oldStart: 4, oldLines: 0, newStart: 4, newLines: 1, oldText: "", newText: "ins\n" },
];

describe("HunkReview", () => {
  it("starts with everything accepted and applies it", () => {
    const r = new HunkReview(hunks);
    expect(r.ids()).toEqual([1, 2, 3]);
    expect(r.result(original)).toBe("a\nB\nc\nins\nd\ne2\nf\n");
  });

  it("rejecting a hunk leaves its lines as they were", () => {
    const r = new HunkReview(hunks);
    r.toggle(1);
    r.toggle(3);
    expect(r.ids()).toEqual([2]);
    expect(r.result(original)).toBe("a\nb\nc\nd\ne2\nf\n");
    r.rejectAll();
    expect(r.result(original)).toBe(original);
    r.acceptAll();
    expect(r.ids()).toEqual([1, 2, 3]);
    r.toggle(99);
    expect(r.ids()).toEqual([1, 2, 3]);
  });
});
