// What the chat and the AI actions take from the editor: the focused file, its selection,
// and inserting text at the cursor.

import { editorOf } from "../editor/editors";
import type { Workbench } from "../project/context";
import type { Selection } from "../../ipc/bindings";

export function activeFile(wb: Workbench): string | null {
  return wb.session.groups.activePath();
}

/** The focused editor's non-empty selection as whole lines, with its text. */
export function activeSelection(wb: Workbench): Selection | null {
  const path = activeFile(wb);
  const ed = editorOf(wb.session.groups.focusedGroup());
  const model = ed?.getModel();
  const sel = ed?.getSelection();
  if (!path || !model || !sel || sel.isEmpty()) return null;
  // A selection of whole lines ends at column 1 of the next line, which is not selected.
  const endLine = sel.endColumn === 1 && sel.endLineNumber > sel.startLineNumber ? sel.endLineNumber - 1 : sel.endLineNumber;
  return { path, startLine: sel.startLineNumber, endLine, text: model.getValueInRange(sel) };
}

/** Inserts `text` at the focused editor's cursor as one undo step. */
export function insertAtCursor(wb: Workbench, text: string): boolean {
  const ed = editorOf(wb.session.groups.focusedGroup());
  const sel = ed?.getSelection();
  if (!ed || !sel) return false;
  ed.pushUndoStop();
  ed.executeEdits("ai-insert", [{ range: sel, text, forceMoveMarkers: true }]);
  ed.pushUndoStop();
  ed.focus();
  return true;
}
