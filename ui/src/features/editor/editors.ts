// The live Monaco editors, one per editor group, so window-level commands (go to line,
// symbols, change language) can reach the focused group's editor.

import type * as Monaco from "monaco-editor";
import type { MonacoApi } from "./monaco";
import { modelPaths } from "./buffers";

const live = new Map<number, Monaco.editor.IStandaloneCodeEditor>();
let api: MonacoApi | null = null;

/** A selection to show in a file (1-based lines, UTF-16 columns, end exclusive). */
export interface Span {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

// A reveal asked for before the group's editor shows the file (it is still loading, or
// Monaco is not mounted yet); the pane applies it when it switches to that file.
const pendingReveal = new Map<number, { path: string; span: Span }>();

const showsPath = (ed: Monaco.editor.IStandaloneCodeEditor, path: string) => {
  const m = ed.getModel();
  return !!m && modelPaths.get(m) === path;
};

function applySpan(ed: Monaco.editor.IStandaloneCodeEditor, span: Span, focus: boolean): void {
  const sel = { startLineNumber: span.startLine, startColumn: span.startColumn, endLineNumber: span.endLine, endColumn: span.endColumn };
  ed.setSelection(sel);
  ed.revealRangeInCenterIfOutsideViewport(sel);
  if (focus) ed.focus();
}

/** Selects `span` in `path` in a group's editor, now or as soon as it shows the file. */
export function revealSpan(group: number, path: string, span: Span): void {
  const ed = live.get(group);
  if (ed && showsPath(ed, path)) {
    pendingReveal.delete(group);
    applySpan(ed, span, true);
  } else pendingReveal.set(group, { path, span });
}

/** Called by the pane after it switched to `path`: applies a reveal waiting for it. */
export function applyPendingReveal(group: number, path: string): boolean {
  const p = pendingReveal.get(group);
  const ed = live.get(group);
  if (!p || !ed) return false;
  pendingReveal.delete(group);
  if (p.path !== path || !showsPath(ed, path)) return false;
  applySpan(ed, p.span, true);
  return true;
}

/** The text to seed a search with: the single-line selection, else the word at the cursor. */
export function seedText(group: number): string | undefined {
  const ed = live.get(group);
  const model = ed?.getModel();
  const sel = ed?.getSelection();
  if (!ed || !model || !sel) return undefined;
  if (!sel.isEmpty()) return sel.startLineNumber === sel.endLineNumber ? model.getValueInRange(sel) : undefined;
  return model.getWordAtPosition(sel.getPosition())?.word;
}

export function registerEditor(group: number, ed: Monaco.editor.IStandaloneCodeEditor, monaco: MonacoApi): () => void {
  live.set(group, ed);
  api = monaco;
  return () => {
    if (live.get(group) === ed) live.delete(group);
  };
}

export function editorOf(group: number): Monaco.editor.IStandaloneCodeEditor | null {
  return live.get(group) ?? null;
}

export function monacoIfLoaded(): MonacoApi | null {
  return api;
}

/** Runs a Monaco action (e.g. "editor.action.gotoLine") in a group's editor; false if none. */
export function runEditorAction(group: number, action: string): boolean {
  const ed = live.get(group);
  if (!ed?.getModel()) return false;
  ed.focus();
  void ed.getAction(action)?.run();
  return true;
}

/** Monaco's language ids and names, for "Change Language Mode". */
export function languages(): Array<{ id: string; name: string }> {
  return (api?.languages.getLanguages() ?? []).map((l) => ({ id: l.id, name: l.aliases?.[0] ?? l.id }));
}

export function setLanguage(group: number, id: string): void {
  const model = live.get(group)?.getModel();
  if (model && api) api.editor.setModelLanguage(model, id);
}
