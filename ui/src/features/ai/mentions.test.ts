import { describe, expect, it } from "vitest";
import { completeMention, mentionAt, parseMentions } from "./mentions";

describe("mentions", () => {
  it("finds the mention being typed", () => {
    expect(mentionAt("look at @src/ma", 15)).toEqual({ start: 8, query: "src/ma" });
    expect(mentionAt("no mention", 10)).toBeNull();
    expect(mentionAt("email a@b", 9)).toBeNull();
  });

  it("completes it with the chosen path", () => {
    expect(completeMention("see @ma and", 7, "src/main.py")).toEqual({ text: "see @src/main.py  and", caret: 17 });
  });

  it("parses files and @codebase, ignoring trailing punctuation", () => {
    expect(parseMentions("what does @src/a.rs do, vs @b.py? @codebase")).toEqual({ files: ["src/a.rs", "b.py"], codebase: true });
    expect(parseMentions("mail me at x@y.z")).toEqual({ files: [], codebase: false });
  });
});
