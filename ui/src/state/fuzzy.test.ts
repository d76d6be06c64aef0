import { describe, expect, it } from "vitest";
import { fuzzyFilter, fuzzyMatch, highlightRuns } from "./fuzzy";

describe("fuzzy", () => {
  it("matches subsequences case-insensitively and reports indices", () => {
    expect(fuzzyMatch("MP", "src/main.py")?.indices).toEqual([4, 9]);
    expect(fuzzyMatch("xyz", "src/main.py")).toBeNull();
    expect(fuzzyMatch("", "anything")).toEqual({ score: 0, indices: [] });
  });

  it("ranks word starts and runs above scattered letters", () => {
    const cmds = ["Toggle Side Bar", "Go to Line", "Close Other Tabs", "Toggle Panel"];
    expect(fuzzyFilter("gl", cmds, (c) => c)[0]!.item).toBe("Go to Line");
    expect(fuzzyFilter("panel", cmds, (c) => c).map((r) => r.item)).toEqual(["Toggle Panel"]);
    expect(fuzzyFilter("tsb", cmds, (c) => c)[0]!.item).toBe("Toggle Side Bar");
  });

  it("keeps the original order for an empty query", () => {
    expect(fuzzyFilter("", ["b", "a"], (c) => c).map((r) => r.item)).toEqual(["b", "a"]);
  });

  it("splits text into highlighted runs", () => {
    expect(highlightRuns("main.py", [0, 1, 5])).toEqual([
      { text: "ma", hit: true },
      { text: "in.", hit: false },
      { text: "p", hit: true },
      { text: "y", hit: false },
    ]);
  });
});
