import { describe, expect, it } from "vitest";
import { CommandRegistry } from "../../state/commands";
import { Keybindings } from "../../state/keybindings";
import { defaultLayout } from "../../state/layout";
import { writable } from "../../state/store";
import { defaultKeybindings, workbenchCommands } from "./commands";
import type { PaletteMode, Workbench } from "./context";

/** Just enough of a session for the commands to be built and the layout ones to run. */
function fakeWorkbench() {
  const layout = writable(defaultLayout());
  const palette = writable<PaletteMode | null>(null);
  const wb = {
    session: { layout, groups: { activePath: () => null, focusedGroup: () => 0 } },
    commands: new CommandRegistry(),
    keys: new Keybindings(false),
    palette,
  } as unknown as Workbench;
  return { wb, layout, palette };
}

// Registered by the explorer component itself.
const COMPONENT_COMMANDS = ["explorer.newFile", "explorer.newFolder", "explorer.rename", "explorer.delete", "explorer.focus"];

describe("workbench commands", () => {
  it("has unique ids, and every default keybinding names a command", () => {
    const { wb } = fakeWorkbench();
    const cmds = workbenchCommands(wb, () => {});
    const ids = cmds.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    defaultKeybindings(wb.keys);
    for (const { command } of wb.keys.all()) expect([...ids, ...COMPONENT_COMMANDS]).toContain(command);
  });

  it("runs layout commands and opens the palette from keybindings", () => {
    const { wb, layout, palette } = fakeWorkbench();
    wb.commands.register(...workbenchCommands(wb, () => {}));
    defaultKeybindings(wb.keys);
    const ev = (key: string, code: string, mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}) => ({
      key, code, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods,
    });
    const ctx = { inEditor: false, inInput: false };
    wb.commands.run(wb.keys.match(ev("j", "KeyJ", { ctrlKey: true }), ctx)!);
    expect(layout.get().panel.visible).toBe(true);
    wb.commands.run(wb.keys.match(ev("b", "KeyB", { ctrlKey: true }), ctx)!);
    expect(layout.get().side.visible).toBe(false);
    wb.commands.run(wb.keys.match(ev("P", "KeyP", { ctrlKey: true, shiftKey: true }), ctx)!);
    expect(palette.get()).toBe("commands");
    // No file open: file commands are disabled, so the palette hides them.
    expect(wb.commands.list().some((c) => c.id === "file.save")).toBe(false);
    // Ctrl+G inside the editor is Monaco's own.
    expect(wb.keys.match(ev("g", "KeyG", { ctrlKey: true }), { inEditor: true, inInput: false })).toBeNull();
  });
});
