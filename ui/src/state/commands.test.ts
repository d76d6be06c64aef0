import { describe, expect, it } from "vitest";
import { CommandRegistry, filterCommands, label } from "./commands";

describe("CommandRegistry", () => {
  it("runs enabled commands only and unregisters", () => {
    const ran: string[] = [];
    const r = new CommandRegistry();
    let on = false;
    const off = r.register(
      { id: "a", title: "Alpha", run: () => void ran.push("a") },
      { id: "b", title: "Beta", run: () => void ran.push("b"), enabled: () => on },
    );
    expect(r.run("a")).toBe(true);
    expect(r.run("b")).toBe(false);
    on = true;
    expect(r.run("b")).toBe(true);
    expect(ran).toEqual(["a", "b"]);
    off();
    expect(r.list()).toEqual([]);
  });

  it("filters the palette by category and title", () => {
    const r = new CommandRegistry();
    const noop = () => {};
    r.register(
      { id: "side", title: "Toggle Side Bar", category: "View", run: noop },
      { id: "save", title: "Save", category: "File", run: noop },
      { id: "goto", title: "Go to Line…", category: "Go", run: noop },
    );
    expect(filterCommands("", r.list()).map((x) => x.item.id)).toEqual(["save", "goto", "side"]);
    expect(filterCommands("view side", r.list()).map((x) => x.item.id)).toEqual(["side"]);
    const [first] = filterCommands("fs", r.list());
    expect(label(first!.item)).toBe("File: Save");
    expect(first!.match.indices).toEqual([0, 6]);
  });
});
