// The Search panel's commands and keybindings (VS Code's where they exist), and the two
// actions the panel and the palette share: opening a match, and replacing with an Undo
// toast.

import type { Command } from "../../state/commands";
import type { Keybindings } from "../../state/keybindings";
import { showSideView } from "../../state/layout";
import { revealSpan, seedText } from "../editor/editors";
import type { Workbench } from "../project/context";
import type { MatchRef, SearchModel } from "./model";

/** True while the keyboard focus is inside the Search view. */
export const inSearchView = () => !!document.activeElement?.closest('[data-testid="search-view"]');

/** Opens a match's file (as a preview tab unless `pin`) with the match selected. */
export async function openMatch(wb: Workbench, search: SearchModel, m: MatchRef, pin = false): Promise<void> {
  const line = search.view.files.find((f) => f.path === m.path)?.lines.find((l) => l.line === m.line);
  if (!line) return;
  // A semantic hit selects its chunk's lines; a text match exactly its span.
  const r = line.ranges[m.range];
  const span = line.hit
    ? { startLine: m.line, startColumn: 1, endLine: line.hit.endLine + 1, endColumn: 1 }
    : r && { startLine: m.line, startColumn: r.start, endLine: m.line, endColumn: r.end };
  if (!span) return;
  search.select(m);
  await wb.session.groups.open(m.path, { preview: !pin });
  revealSpan(wb.session.groups.focusedGroup(), m.path, span);
}

/** Replaces (everywhere, or in `path`) and offers Undo in a toast; problems show in the panel. */
export async function replaceWithUndo(wb: Workbench, search: SearchModel, path?: string): Promise<void> {
  const res = await search.replace(path);
  const problems = search.view.problems.length;
  if (!res || res.changed.length === 0) {
    if (problems > 0) wb.notifier.notify("warning", `Nothing was replaced: ${problems} file${problems === 1 ? "" : "s"} could not be changed (see the Search view).`);
    return;
  }
  const files = res.changed.length;
  const note = problems > 0 ? ` ${problems} file${problems === 1 ? " was" : "s were"} left alone (see the Search view).` : "";
  wb.notifier.notify(problems > 0 ? "warning" : "info", `Replaced ${res.replacements} occurrence${res.replacements === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}.${note}`, {
    actions: [{ label: "Undo", run: () => undoWithNotice(wb, search) }],
  });
}

export async function undoWithNotice(wb: Workbench, search: SearchModel): Promise<void> {
  const res = await search.undo();
  if (!res) return;
  const kept = res.failed.length;
  wb.notifier.notify(kept > 0 ? "warning" : "info", `Restored ${res.restored.length} file${res.restored.length === 1 ? "" : "s"}.${kept > 0 ? ` ${kept} changed since and were kept as they are.` : ""}`);
}

export function searchCommands(wb: Workbench, search: SearchModel): Command[] {
  const hasResults = () => search.view.matches > 0;
  const show = () => wb.session.layout.update((l) => showSideView({ ...l, side: { ...l.side, visible: false } }, "search"));
  const step = (dir: 1 | -1) => {
    const m = search.step(dir);
    if (m) void openMatch(wb, search, m);
  };
  return [
    {
      id: "search.focus",
      title: "Find in Files",
      category: "Search",
      run: () => {
        show();
        search.focus(seedText(wb.session.groups.focusedGroup()));
      },
    },
    {
      id: "search.replace",
      title: "Replace in Files",
      category: "Search",
      run: () => {
        show();
        search.set({ replaceOpen: true });
        search.focus(seedText(wb.session.groups.focusedGroup()));
      },
    },
    { id: "search.next", title: "Go to Next Search Result", category: "Search", run: () => step(1), enabled: hasResults },
    { id: "search.prev", title: "Go to Previous Search Result", category: "Search", run: () => step(-1), enabled: hasResults },
    { id: "search.toggleCase", title: "Toggle Match Case", category: "Search", run: () => search.toggle("caseSensitive") },
    { id: "search.toggleWord", title: "Toggle Match Whole Word", category: "Search", run: () => search.toggle("wholeWord") },
    { id: "search.toggleRegex", title: "Toggle Use Regular Expression", category: "Search", run: () => search.toggle("regex") },
    { id: "search.replaceAll", title: "Replace All", category: "Search", run: () => replaceWithUndo(wb, search), enabled: () => search.view.options.replaceOpen && hasResults() },
    { id: "search.undoReplace", title: "Undo Last Replace", category: "Search", run: () => undoWithNotice(wb, search), enabled: () => search.view.undo !== null },
    { id: "search.cancel", title: "Cancel Search", category: "Search", run: () => search.cancel(), enabled: () => search.view.status === "searching" },
    { id: "search.collapseAll", title: "Collapse All Results", category: "Search", run: () => search.collapseAll(), enabled: hasResults },
    { id: "search.clear", title: "Clear Search Results", category: "Search", run: () => search.set({ pattern: "" }) },
  ];
}

export function searchKeybindings(kb: Keybindings): void {
  // Registered after the workbench's defaults, so Ctrl+Shift+F seeds and focuses the query
  // rather than only showing the view.
  kb.add("search.focus", "Mod+Shift+F");
  kb.add("search.replace", "Mod+Shift+H");
  kb.add("search.next", "F4");
  kb.add("search.prev", "Shift+F4");
  kb.add("search.toggleCase", "Alt+C", inSearchView);
  kb.add("search.toggleWord", "Alt+W", inSearchView);
  kb.add("search.toggleRegex", "Alt+R", inSearchView);
  kb.add("search.replaceAll", "Mod+Alt+Enter", inSearchView);
}
