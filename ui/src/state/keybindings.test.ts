import { describe, expect, it } from "vitest";
import { Keybindings, chordFromEvent, formatChord, parseChord, type KeyLike } from "./keybindings";

const ev = (key: string, mods: Partial<KeyLike> = {}, code?: string): KeyLike => ({
  key,
  code,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});
const anywhere = { inInput: false, inEditor: false };

describe("keybindings", () => {
  it("parses Mod as Ctrl elsewhere and Cmd on macOS", () => {
    expect(parseChord("Mod+Shift+P", false)).toMatchObject({ ctrl: true, meta: false, shift: true, key: "P" });
    expect(parseChord("Mod+Shift+P", true)).toMatchObject({ ctrl: false, meta: true, shift: true, key: "P" });
    expect(parseChord("Ctrl++", false)).toMatchObject({ ctrl: true, key: "+" });
  });

  it("reads letters from the physical key so Shift does not change them", () => {
    expect(chordFromEvent(ev("P", { ctrlKey: true, shiftKey: true }, "KeyP")).key).toBe("P");
    expect(chordFromEvent(ev("|", { ctrlKey: true, shiftKey: true }, "Backslash")).key).toBe("\\");
    expect(chordFromEvent(ev("F2", {}, "F2")).key).toBe("F2");
  });

  it("matches events to commands, honouring when-clauses and later overrides", () => {
    const kb = new Keybindings(false);
    kb.add("palette.commands", "Mod+Shift+P");
    kb.add("explorer.rename", "F2", (c) => !c.inEditor && !c.inInput);
    expect(kb.match(ev("p", { ctrlKey: true, shiftKey: true }, "KeyP"), anywhere)).toBe("palette.commands");
    expect(kb.match(ev("p", { ctrlKey: true }, "KeyP"), anywhere)).toBeNull();
    expect(kb.match(ev("F2"), anywhere)).toBe("explorer.rename");
    expect(kb.match(ev("F2"), { inInput: false, inEditor: true })).toBeNull();
    kb.add("other", "Mod+Shift+P");
    expect(kb.match(ev("P", { ctrlKey: true, shiftKey: true }, "KeyP"), anywhere)).toBe("other");
  });

  it("formats labels per platform", () => {
    expect(formatChord("Mod+Shift+P", false)).toBe("Ctrl+Shift+P");
    expect(formatChord("Mod+Shift+P", true)).toBe("⇧⌘P");
    const kb = new Keybindings(false);
    kb.add("split", "Mod+\\");
    expect(kb.label("split")).toBe("Ctrl+\\");
    expect(kb.label("none")).toBe("");
  });
});
