import { describe, expect, it } from "vitest";
import { findCitations, renderMarkdown } from "./markdown";

const identity = (h: string) => h;

describe("renderMarkdown", () => {
  it("keeps code blocks aside and gives each its buttons", () => {
    const r = renderMarkdown("Use this:\n\n```rust\nfn a() -> u8 { 1 }\n```\n\nand\n\n```\nplain\n```\n", identity);
    expect(r.blocks).toEqual([
      { lang: "rust", code: "fn a() -> u8 { 1 }" },
      { lang: "", code: "plain" },
    ]);
    expect(r.html).toContain('data-act="apply" data-block="0"');
    expect(r.html).toContain('data-act="copy" data-block="1"');
    expect(r.html).toContain("<p>Use this:</p>");
  });

  it("escapes markup inside code so it shows as text", () => {
    const r = renderMarkdown("```html\n<script>alert(1)</script>\n```", identity);
    expect(r.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(r.html).not.toContain("<script>");
  });

  it("hands the whole HTML to the sanitizer", () => {
    let seen = "";
    const r = renderMarkdown("hi <img src=x onerror=alert(1)>", (h) => ((seen = h), "SANITIZED"));
    expect(seen).toContain("onerror");
    expect(r.html).toBe("SANITIZED");
  });

  it("renders a fence still streaming in (not closed yet) as code", () => {
    const r = renderMarkdown("```py\nprint(1)", identity);
    expect(r.blocks[0]?.code).toBe("print(1)");
  });
});

describe("findCitations", () => {
  it("finds path:line and path:line-line", () => {
    expect(findCitations("see src/a.rs:12-20 and lib/b.py:3.")).toEqual([
      { path: "src/a.rs", line: 12 },
      { path: "lib/b.py", line: 3 },
    ]);
  });
});
