// The chat panel's state, framework-free: the project's chats, the open one's messages,
// and the answer streaming in (with fallbacks and retries shown as notes). Stop cancels
// the request in Rust, which closes the provider's connection.

import type { ChatContext, ChatEvent, ChatMeta, ChatSummary, Citation, ErrorCode } from "../../ipc/bindings";
import { toIpcError } from "../../ipc";
import { writable, type Readable } from "../../state/store";
import { newRequestId, type AiBackend } from "./backend";

export interface UiMessage {
  role: "user" | "assistant";
  text: string;
  citations: Citation[];
  meta: ChatMeta | null;
  /** Fallbacks, retries, context notes. */
  notes: string[];
  streaming: boolean;
  error: { code: ErrorCode; message: string } | null;
}

export interface ChatState {
  chats: ChatSummary[];
  chatId: string | null;
  messages: UiMessage[];
  busy: boolean;
  /** "Asking local (model)…" while an answer streams. */
  status: string;
}

const EMPTY: ChatState = { chats: [], chatId: null, messages: [], busy: false, status: "" };

export class ChatModel {
  private state = writable<ChatState>(EMPTY);
  private running: string | null = null;

  constructor(
    private backend: AiBackend,
    private projectId: string,
  ) {}

  get changes(): Readable<ChatState> {
    return this.state;
  }

  private patch(f: (s: ChatState) => ChatState): void {
    this.state.update(f);
  }

  private patchLast(f: (m: UiMessage) => UiMessage): void {
    this.patch((s) => {
      const messages = s.messages.slice();
      const last = messages.length - 1;
      if (last >= 0) messages[last] = f(messages[last]!);
      return { ...s, messages };
    });
  }

  async refresh(): Promise<void> {
    const chats = await this.backend.list(this.projectId);
    this.patch((s) => ({ ...s, chats }));
  }

  newChat(): void {
    if (this.state.get().busy) return;
    this.patch((s) => ({ ...s, chatId: null, messages: [], status: "" }));
  }

  async open(chatId: string): Promise<void> {
    if (this.state.get().busy) return;
    const rows = await this.backend.messages(this.projectId, chatId);
    const messages: UiMessage[] = rows
      .filter((r) => r.role === "user" || r.role === "assistant")
      .map((r) => ({
        role: r.role as "user" | "assistant",
        text: r.content,
        citations: r.citations,
        meta: r.meta,
        notes: r.meta?.fallbacks.map((f) => `${f} (fell back)`) ?? [],
        streaming: false,
        error: null,
      }));
    this.patch((s) => ({ ...s, chatId, messages, status: "" }));
  }

  async remove(chatId: string): Promise<void> {
    await this.backend.remove(this.projectId, chatId);
    if (this.state.get().chatId === chatId) this.newChat();
    await this.refresh();
  }

  private onEvent(e: ChatEvent): void {
    switch (e.type) {
      case "started":
        this.patch((s) => {
          const messages = s.messages.slice();
          const user = messages[messages.length - 2];
          if (user) messages[messages.length - 2] = { ...user, citations: e.citations };
          return { ...s, chatId: e.chatId, messages };
        });
        if (e.note) this.patchLast((m) => ({ ...m, notes: [...m.notes, e.note!] }));
        break;
      case "trying":
        // A new attempt: whatever an earlier one streamed is void.
        this.patchLast((m) => ({ ...m, text: "" }));
        this.patch((s) => ({ ...s, status: `Asking ${e.provider} (${e.model})…` }));
        break;
      case "fallback":
        this.patchLast((m) => ({ ...m, notes: [...m.notes, `${e.provider} failed: ${e.reason}; trying the next provider`] }));
        break;
      case "retry":
        this.patchLast((m) => ({ ...m, notes: [...m.notes, `${e.provider}: ${e.reason}; retrying in ${(e.waitMs / 1000).toFixed(1)} s`] }));
        break;
      case "delta":
        this.patchLast((m) => ({ ...m, text: m.text + e.text }));
        break;
    }
  }

  /** Sends a message; resolves when the answer is complete, stopped or failed. */
  async send(message: string, context: ChatContext, useCache = true): Promise<void> {
    const text = message.trim();
    if (!text || this.state.get().busy) return;
    const requestId = newRequestId("chat");
    this.running = requestId;
    const blank = { citations: [], meta: null, notes: [], error: null };
    this.patch((s) => ({
      ...s,
      busy: true,
      status: "Preparing context…",
      messages: [...s.messages, { ...blank, role: "user", text, streaming: false }, { ...blank, role: "assistant", text: "", streaming: true }],
    }));
    try {
      const r = await this.backend.chat(this.projectId, { chatId: this.state.get().chatId, message: text, context, useCache }, requestId, (e) => this.onEvent(e));
      const a = r.answer;
      this.patchLast((m) => ({
        ...m,
        text: a.text,
        streaming: false,
        meta: {
          provider: a.provider,
          model: a.model,
          tokensIn: a.usage.tokensIn,
          tokensOut: a.usage.tokensOut,
          costUsd: a.costUsd,
          cached: a.cached,
          fallbacks: a.fallbacks.map((f) => `${f.provider}: ${f.reason}`),
          cancelled: false,
        },
      }));
      this.patch((s) => ({ ...s, chatId: r.chatId }));
    } catch (e) {
      const err = toIpcError(e);
      this.patchLast((m) => ({ ...m, streaming: false, error: { code: err.code, message: err.message } }));
    } finally {
      this.running = null;
      this.patch((s) => ({ ...s, busy: false, status: "" }));
    }
    await this.refresh().catch(() => {});
  }

  /** Stops the answer streaming in (what arrived stays). */
  async stop(): Promise<void> {
    if (this.running) await this.backend.cancel(this.running);
  }
}
