import { describe, expect, it } from "vitest";
import { findFileLinks, toProjectPath } from "./links";

describe("findFileLinks", () => {
  it("finds compiler, grep and stack-trace references", () => {
    const rust = findFileLinks("error[E0308]: --> src/main.rs:12:5");
    expect(rust).toEqual([{ start: 18, end: 34, path: "src/main.rs", line: 12, column: 5 }]);
    expect(findFileLinks("./a.py:3: warning")[0]).toMatchObject({ path: "./a.py", line: 3, column: null });
    const py = findFileLinks('  File "/p/x.py", line 7, in <module>');
    expect(py).toHaveLength(1);
    expect(py[0]).toMatchObject({ path: "/p/x.py", line: 7 });
    expect(findFileLinks("lib/a.ts(4,2): error TS2322")[0]).toMatchObject({ path: "lib/a.ts", line: 4, column: 2 });
  });

  it("does not take times, URLs or bare words for files", () => {
    expect(findFileLinks("at 12:30:01 the build ran")).toEqual([]);
    expect(findFileLinks("see http://localhost:8080")).toEqual([]);
    expect(findFileLinks("nothing here")).toEqual([]);
  });
});

describe("toProjectPath", () => {
  it("resolves relative and absolute paths inside the project only", () => {
    expect(toProjectPath("src/a.rs", "/home/u/p")).toBe("src/a.rs");
    expect(toProjectPath("./a.py", "/home/u/p", "sub")).toBe("sub/a.py");
    expect(toProjectPath("/home/u/p/x/y.ts", "/home/u/p")).toBe("x/y.ts");
    expect(toProjectPath("../other/z.py", "/home/u/p")).toBeNull();
    expect(toProjectPath("/etc/passwd.txt", "/home/u/p")).toBeNull();
    expect(toProjectPath("/home/u/px/a.py", "/home/u/p")).toBeNull();
  });
});
