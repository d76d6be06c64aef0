// Run and terminal commands for the palette and keybindings: Run File (F5), Run Selection
// (Ctrl+F5), Stop (Shift+F5), run configurations, and new / sandboxed / killed terminals.

import { api } from "../../ipc";
import type { Command } from "../../state/commands";
import type { Keybindings } from "../../state/keybindings";
import { showPanel } from "../../state/layout";
import { editorOf } from "../editor/editors";
import { activeFile } from "../ai/context";
import type { Workbench } from "../project/context";
import { runModelFor, type RunModel } from "./model";
import type { TerminalSessions } from "../terminal/sessions";

export function runModel(wb: Workbench): RunModel {
  return runModelFor(api, wb.session.project.id);
}

/** The focused editor's selection (or, with nothing selected, nothing) and its language. */
export function selectionToRun(wb: Workbench): { language: string; text: string } | null {
  const ed = editorOf(wb.session.groups.focusedGroup());
  const model = ed?.getModel();
  const sel = ed?.getSelection();
  if (!model || !sel || sel.isEmpty()) return null;
  return { language: model.getLanguageId(), text: model.getValueInRange(sel) };
}

export async function runActiveFile(wb: Workbench): Promise<void> {
  const path = activeFile(wb);
  if (!path) {
    wb.notifier.notify("info", "Open a file to run it");
    return;
  }
  // Unsaved changes would not be what runs: save first.
  const doc = wb.session.docs.changes.get().docs.find((d) => d.path === path);
  if (doc?.dirty) await wb.session.docs.save(path);
  wb.session.layout.update((l) => showPanel(l, "run"));
  await runModel(wb).start({ kind: "file", path });
}

export async function runSelection(wb: Workbench): Promise<void> {
  const sel = selectionToRun(wb);
  if (!sel) return runActiveFile(wb);
  wb.session.layout.update((l) => showPanel(l, "run"));
  await runModel(wb).start({ kind: "selection", language: sel.language, text: sel.text });
}

export function runCommands(wb: Workbench, terminals: () => TerminalSessions | null): Command[] {
  const showTerminal = () => wb.session.layout.update((l) => showPanel(l, "terminal"));
  const hasFile = () => activeFile(wb) !== null;
  return [
    // Always enabled: F5 must never fall through to the webview (which would reload).
    { id: "run.file", title: "Run File", category: "Run", run: () => runActiveFile(wb) },
    { id: "run.selection", title: "Run Selection", category: "Run", run: () => runSelection(wb), enabled: hasFile },
    { id: "run.stop", title: "Stop", category: "Run", run: () => runModel(wb).stop() },
    {
      id: "terminal.new",
      title: "New Terminal",
      category: "Terminal",
      run: async () => {
        showTerminal();
        await terminals()?.open(false);
      },
    },
    {
      id: "terminal.newSandboxed",
      title: "New Sandboxed Terminal",
      category: "Terminal",
      run: async () => {
        showTerminal();
        await terminals()?.open(true);
      },
    },
    {
      id: "terminal.kill",
      title: "Kill the Active Terminal",
      category: "Terminal",
      run: async () => {
        const t = terminals();
        const id = t?.state.get().active;
        if (t && id) await t.kill(id);
      },
    },
  ];
}

export function runKeybindings(kb: Keybindings): void {
  kb.add("run.file", "F5");
  kb.add("run.selection", "Mod+F5");
  kb.add("run.stop", "Shift+F5");
  kb.add("terminal.new", "Mod+Shift+`");
}
