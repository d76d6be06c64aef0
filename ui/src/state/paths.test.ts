import { describe, expect, it } from "vitest";
import { baseName, isWithin, osBaseName, parentOf } from "./paths";

describe("paths", () => {
  it("splits relative paths", () => {
    expect(parentOf("a/b/c.txt")).toBe("a/b");
    expect(parentOf("c.txt")).toBe("");
    expect(baseName("a/b/c.txt")).toBe("c.txt");
    expect(baseName("c.txt")).toBe("c.txt");
  });
  it("checks containment without prefix confusion", () => {
    expect(isWithin("src/a.py", "src")).toBe(true);
    expect(isWithin("src", "src")).toBe(true);
    expect(isWithin("srcx/a.py", "src")).toBe(false);
    expect(isWithin("anything", "")).toBe(true);
  });
  it("names OS folders", () => {
    expect(osBaseName("/home/me/proj/")).toBe("proj");
    expect(osBaseName("C:\\work\\demo")).toBe("demo");
  });
});
