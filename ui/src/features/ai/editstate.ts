// The AI edit being reviewed (one at a time), opened from the palette, the editor or a
// chat code block, shown by EditReview over the workbench.

import type { EditAction, EditProposal } from "../../ipc/bindings";
import { writable } from "../../state/store";

export interface EditRequest {
  action: EditAction | "fromChat";
  path: string;
  startLine: number | null;
  endLine: number | null;
  instruction: string;
  /** A chat code block: the proposal is made from it without asking a model. */
  code?: string;
  proposal?: EditProposal;
}

export const aiEdit = writable<EditRequest | null>(null);
