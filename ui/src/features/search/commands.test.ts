import { describe, expect, it } from "vitest";
import { Keybindings } from "../../state/keybindings";
import { defaultLayout } from "../../state/layout";
import { writable } from "../../state/store";
import { defaultKeybindings } from "../project/commands";
import type { Workbench } from "../project/context";
import { SearchModel, type SearchBackend } from "./model";
import { searchCommands, searchKeybindings } from "./commands";

const never = () => new Promise<never>(() => {});
const backend: SearchBackend = {
  searchText: never,
  searchCancel: async () => null,
  searchReplacePreview: never,
  searchReplaceApply: never,
  searchReplaceUndo: never,
};

function setup() {
  const layout = writable(defaultLayout());
  const wb = { session: { layout, groups: { focusedGroup: () => 0 } }, keys: new Keybindings(false) } as unknown as Workbench;
  const search = new SearchModel(backend, "p", { isDirty: () => false, changed: () => {} }, { setTimeout: () => 0, clearTimeout: () => {} });
  return { wb, layout, search };
}
const key = (k: string, code: string, mods: Partial<KeyboardEvent> = {}) => ({ key: k, code, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods });

describe("search commands", () => {
  it("every search keybinding names a search command; Ctrl+Shift+F now seeds and focuses", () => {
    const { wb, search } = setup();
    const ids = searchCommands(wb, search).map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    defaultKeybindings(wb.keys);
    searchKeybindings(wb.keys);
    for (const { command } of wb.keys.all()) if (command.startsWith("search.")) expect(ids).toContain(command);
    const ctx = { inEditor: true, inInput: false };
    expect(wb.keys.match(key("F", "KeyF", { ctrlKey: true, shiftKey: true }), ctx)).toBe("search.focus");
    expect(wb.keys.match(key("F4", "F4"), ctx)).toBe("search.next");
    expect(wb.keys.match(key("F4", "F4", { shiftKey: true }), ctx)).toBe("search.prev");
  });

  it("Find in Files shows the Search view and asks it to focus the query", () => {
    const { wb, layout, search } = setup();
    layout.update((l) => ({ ...l, side: { ...l.side, visible: false } }));
    const tick = search.view.focusTick;
    searchCommands(wb, search).find((c) => c.id === "search.focus")!.run();
    expect(layout.get().side).toMatchObject({ visible: true, view: "search" });
    expect(search.view.focusTick).toBe(tick + 1);
  });

  it("result navigation and undo are disabled until there is something to act on", () => {
    const { wb, search } = setup();
    const byId = new Map(searchCommands(wb, search).map((c) => [c.id, c]));
    for (const id of ["search.next", "search.prev", "search.undoReplace", "search.replaceAll", "search.cancel"]) expect(byId.get(id)!.enabled!()).toBe(false);
  });
});
