import { describe, expect, it } from "vitest";
import { absolutePath, joinPath, moveTarget, nameProblem, renamedPath } from "./fileops";

describe("fileops", () => {
  it("joins, renames and validates names", () => {
    expect(joinPath("", "a.txt")).toBe("a.txt");
    expect(joinPath("src", "a.txt")).toBe("src/a.txt");
    expect(renamedPath("src/a.txt", " b.txt ")).toBe("src/b.txt");
    expect(nameProblem("ok.txt")).toBeNull();
    expect(nameProblem("a/b")).not.toBeNull();
    expect(nameProblem("  ")).not.toBeNull();
  });

  it("computes drag-and-drop targets and refuses moves into themselves", () => {
    expect(moveTarget("a.txt", "src")).toBe("src/a.txt");
    expect(moveTarget("src/a.txt", "")).toBe("a.txt");
    expect(moveTarget("src/a.txt", "src")).toBeNull();
    expect(moveTarget("src", "src/inner")).toBeNull();
  });

  it("builds absolute paths for copy path", () => {
    expect(absolutePath("/home/me/proj/", "src/a.rs")).toBe("/home/me/proj/src/a.rs");
    expect(absolutePath("C:\\proj", "src/a.rs")).toBe("C:\\proj\\src\\a.rs");
  });
});
