// The workbench's commands and their default keybindings. Every action in the window
// is registered here (or by the component that owns it), so the palette lists it and a
// keybinding can reach it.

import type { Settings } from "../../ipc/bindings";
import type { Command } from "../../state/commands";
import type { Keybindings } from "../../state/keybindings";
import { PANEL_TABS, SIDE_VIEWS, showPanel, showSideView, togglePanel, toggleSide, type PanelTab, type SideView } from "../../state/layout";
import { runEditorAction } from "../editor/editors";
import { api } from "../../ipc";
import { SETTINGS_DOC } from "../../state/settingsdoc";
import type { Workbench } from "./context";

const VIEW_TITLES: Record<SideView, string> = { explorer: "Explorer", search: "Search", ai: "AI", run: "Run", settings: "Settings" };
const PANEL_TITLES: Record<PanelTab, string> = { terminal: "Terminal", run: "Run", problems: "Problems", log: "Log" };

export function workbenchCommands(wb: Workbench, leave: () => void): Command[] {
  const s = wb.session;
  const groups = s.groups;
  const active = () => groups.activePath();
  const focused = () => groups.focusedGroup();
  const hasFile = () => active() !== null;
  const layout = (f: (l: ReturnType<typeof s.layout.get>) => ReturnType<typeof s.layout.get>) => s.layout.update(f);
  const tabStep = (step: number) => {
    const g = groups.changes.get().groups[focused()];
    if (!g || g.tabs.length === 0) return;
    const i = g.active ? g.tabs.indexOf(g.active) : 0;
    groups.activate(focused(), g.tabs[(i + step + g.tabs.length) % g.tabs.length]!);
  };
  const setTheme = async (theme: Settings["workbench"]["theme"]) => {
    const cur = wb.ws.settings.get();
    if (!cur) return;
    try {
      wb.ws.settings.set(await api.settingsSet({ ...cur, workbench: { ...cur.workbench, theme } }));
    } catch (e) {
      wb.fail("Changing the theme", e);
    }
  };

  return [
    { id: "palette.commands", title: "Show All Commands", category: "View", run: () => wb.palette.set("commands") },
    { id: "palette.files", title: "Go to File…", category: "Go", run: () => wb.palette.set("files") },
    { id: "palette.symbols", title: "Go to Symbol in Workspace…", category: "Go", run: () => wb.palette.set("symbols") },
    { id: "editor.goToLine", title: "Go to Line…", category: "Go", run: () => void runEditorAction(focused(), "editor.action.gotoLine"), enabled: hasFile },
    { id: "editor.symbols", title: "Go to Symbol in Editor…", category: "Go", run: () => void runEditorAction(focused(), "editor.action.quickOutline"), enabled: hasFile },
    { id: "editor.changeLanguage", title: "Change Language Mode", category: "Editor", run: () => wb.palette.set("languages"), enabled: hasFile },
    { id: "file.save", title: "Save", category: "File", run: () => void (active() && s.docs.save(active()!)), enabled: hasFile },
    {
      id: "file.saveAll",
      title: "Save All",
      category: "File",
      run: () => void Promise.all(s.docs.changes.get().docs.filter((d) => d.dirty).map((d) => s.docs.save(d.path))),
    },
    { id: "file.close", title: "Close Editor", category: "File", run: () => void (active() && groups.requestClose(focused(), active()!)), enabled: hasFile },
    { id: "file.closeOthers", title: "Close Other Editors", category: "File", run: () => void (active() && groups.closeOthers(focused(), active()!)), enabled: hasFile },
    { id: "file.pin", title: "Keep Editor Open", category: "File", run: () => void (active() && groups.pin(active()!)), enabled: hasFile },
    { id: "tabs.next", title: "Next Editor", category: "View", run: () => tabStep(1) },
    { id: "tabs.prev", title: "Previous Editor", category: "View", run: () => tabStep(-1) },
    { id: "view.split", title: "Split Editor", category: "View", run: () => void groups.splitActive(), enabled: hasFile },
    { id: "view.moveToOther", title: "Move Editor into Other Group", category: "View", run: () => void (active() && groups.moveToOther(focused(), active()!)), enabled: hasFile },
    { id: "view.focusGroup1", title: "Focus First Editor Group", category: "View", run: () => groups.focus(0) },
    { id: "view.focusGroup2", title: "Focus Second Editor Group", category: "View", run: () => groups.focus(1) },
    { id: "view.toggleSide", title: "Toggle Side Bar", category: "View", run: () => layout(toggleSide) },
    { id: "view.togglePanel", title: "Toggle Panel", category: "View", run: () => layout(togglePanel) },
    ...SIDE_VIEWS.map((v) => ({ id: `view.${v}`, title: `Show ${VIEW_TITLES[v]}`, category: "View", run: () => layout((l) => showSideView({ ...l, side: { ...l.side, visible: false } }, v)) })),
    ...PANEL_TABS.map((t) => ({ id: `panel.${t}`, title: `Show ${PANEL_TITLES[t]}`, category: "Panel", run: () => layout((l) => showPanel(l, t, true)) })),
    { id: "settings.openFile", title: "Open Settings (settings.toml)", category: "Preferences", run: () => void groups.open(SETTINGS_DOC) },
    { id: "theme.dark", title: "Dark Theme", category: "Preferences", run: () => void setTheme("dark") },
    { id: "theme.light", title: "Light Theme", category: "Preferences", run: () => void setTheme("light") },
    { id: "theme.system", title: "Theme Follows the OS", category: "Preferences", run: () => void setTheme("system") },
    { id: "notifications.clear", title: "Clear Notification History", category: "Notifications", run: () => wb.notifier.clearHistory() },
    { id: "project.close", title: "Close Project", category: "File", run: leave },
  ];
}

/** VS Code's defaults where they exist, so the first day feels familiar. */
export function defaultKeybindings(kb: Keybindings): void {
  const outsideEditor = (c: { inEditor: boolean }) => !c.inEditor;
  kb.add("palette.commands", "Mod+Shift+P");
  kb.add("palette.commands", "F1");
  kb.add("palette.files", "Mod+P");
  kb.add("palette.symbols", "Mod+T");
  // Inside the editor Monaco's own Ctrl+G / Ctrl+Shift+O handle these.
  kb.add("editor.goToLine", "Ctrl+G", outsideEditor);
  kb.add("editor.symbols", "Mod+Shift+O", outsideEditor);
  kb.add("file.save", "Mod+S");
  kb.add("file.saveAll", "Mod+Alt+S");
  kb.add("file.close", "Mod+W");
  kb.add("tabs.next", "Ctrl+Tab");
  kb.add("tabs.prev", "Ctrl+Shift+Tab");
  kb.add("view.split", "Mod+\\");
  kb.add("view.focusGroup1", "Mod+1");
  kb.add("view.focusGroup2", "Mod+2");
  kb.add("view.toggleSide", "Mod+B");
  kb.add("view.togglePanel", "Mod+J");
  kb.add("view.explorer", "Mod+Shift+E");
  kb.add("view.search", "Mod+Shift+F");
  kb.add("view.run", "Mod+Shift+D");
  kb.add("view.settings", "Mod+,");
  kb.add("panel.terminal", "Ctrl+`");
  kb.add("panel.problems", "Mod+Shift+M");
  kb.add("explorer.newFile", "Mod+Alt+N");
}
