// What the AI views need from the backend, as an interface so state code is tested with
// fakes. Streams come through a per-request Tauri channel.

import { Channel } from "@tauri-apps/api/core";
import type { Api } from "../../ipc";
import type {
  ChatEvent,
  ChatInput,
  ChatMessageView,
  ChatResult,
  ChatSummary,
  Completion,
  CompletionInput,
  EditApplied,
  EditInput,
  EditProposal,
} from "../../ipc/bindings";

export interface AiBackend {
  chat(projectId: string, input: ChatInput, requestId: string, onEvent: (e: ChatEvent) => void): Promise<ChatResult>;
  cancel(requestId: string): Promise<boolean>;
  list(projectId: string): Promise<ChatSummary[]>;
  messages(projectId: string, chatId: string): Promise<ChatMessageView[]>;
  remove(projectId: string, chatId: string): Promise<null>;
  complete(projectId: string, input: CompletionInput, requestId: string): Promise<Completion>;
  editPreview(projectId: string, input: EditInput, requestId: string, onEvent: (e: ChatEvent) => void): Promise<EditProposal>;
  editFromText(projectId: string, path: string, code: string, startLine: number | null, endLine: number | null): Promise<EditProposal>;
  editApply(projectId: string, editId: string, accepted: number[]): Promise<EditApplied>;
  editDiscard(editId: string): Promise<null>;
}

function channel(onEvent: (e: ChatEvent) => void): Channel<ChatEvent> {
  const ch = new Channel<ChatEvent>();
  ch.onmessage = onEvent;
  return ch;
}

export function tauriAiBackend(a: Api): AiBackend {
  return {
    chat: (p, input, id, on) => a.aiChat(p, input, id, channel(on)),
    cancel: (id) => a.aiCancel(id),
    list: (p) => a.aiChatList(p),
    messages: (p, c) => a.aiChatMessages(p, c),
    remove: (p, c) => a.aiChatDelete(p, c),
    complete: (p, input, id) => a.aiComplete(p, input, id),
    editPreview: (p, input, id, on) => a.aiEditPreview(p, input, id, channel(on)),
    editFromText: (p, path, code, s, e) => a.aiEditFromText(p, path, code, s, e),
    editApply: (p, e, acc) => a.aiEditApply(p, e, acc),
    editDiscard: (e) => a.aiEditDiscard(e),
  };
}

let counter = 0;
/** A request id the backend accepts (letters, digits, '-'), unique in this page. */
export function newRequestId(kind: string): string {
  counter += 1;
  return `${kind}-${Date.now().toString(36)}-${counter}`;
}
