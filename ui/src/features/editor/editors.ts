// The live Monaco editors, one per editor group, so window-level commands (go to line,
// symbols, change language) can reach the focused group's editor.

import type * as Monaco from "monaco-editor";
import type { MonacoApi } from "./monaco";

const live = new Map<number, Monaco.editor.IStandaloneCodeEditor>();
let api: MonacoApi | null = null;

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
