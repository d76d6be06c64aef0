// The AI commands of the palette: new chat, the edit actions on the active file (or its
// selection), inline completion on/off, providers and usage.

import type { Command } from "../../state/commands";
import { showSideView } from "../../state/layout";
import { writable } from "../../state/store";
import type { Workbench } from "../project/context";
import type { ChatModel } from "./chat";
import { activeFile, activeSelection } from "./context";
import { aiEdit } from "./editstate";
import { toggleInline } from "./completion";
import { EDIT_ACTIONS } from "./review";

export type AiTab = "chat" | "providers" | "usage";
export const aiTab = writable<AiTab>("chat");

export function aiCommands(wb: Workbench, chat: ChatModel): Command[] {
  const show = (tab: AiTab) => {
    aiTab.set(tab);
    wb.session.layout.update((l) => showSideView(l, "ai"));
  };
  const hasFile = () => activeFile(wb) !== null;
  return [
    { id: "ai.newChat", title: "New Chat", category: "AI", run: () => (chat.newChat(), show("chat")) },
    { id: "ai.providers", title: "Providers and Health", category: "AI", run: () => show("providers") },
    { id: "ai.usage", title: "Usage", category: "AI", run: () => show("usage") },
    { id: "ai.toggleInline", title: "Toggle Inline Completion", category: "AI", run: toggleInline },
    ...EDIT_ACTIONS.map(
      (a): Command => ({
        id: `ai.edit.${a.action}`,
        title: a.title,
        category: "AI",
        enabled: hasFile,
        run: () => {
          const path = activeFile(wb);
          if (!path) return;
          const sel = activeSelection(wb);
          aiEdit.set({ action: a.action, path, startLine: sel?.startLine ?? null, endLine: sel?.endLine ?? null, instruction: "" });
        },
      }),
    ),
  ];
}
