import { describe, expect, it } from "vitest";
import type { ChatEvent, ChatInput, ChatResult } from "../../ipc/bindings";
import { IpcError } from "../../ipc";
import type { AiBackend } from "./backend";
import { ChatModel } from "./chat";

function answer(text: string): ChatResult {
  return {
    chatId: "c1",
    citations: [],
    answer: { text, provider: "local", model: "m", usage: { tokensIn: 3, tokensOut: 2 }, costUsd: 0, cached: false, latencyMs: 5, firstTokenMs: 1, fallbacks: [] },
  };
}

function backend(script: (on: (e: ChatEvent) => void, input: ChatInput) => Promise<ChatResult>): AiBackend & { inputs: ChatInput[]; cancelled: string[] } {
  const inputs: ChatInput[] = [];
  const cancelled: string[] = [];
  return {
    inputs,
    cancelled,
    chat: async (_p, input, _id, on) => (inputs.push(input), script(on, input)),
    cancel: async (id) => (cancelled.push(id), true),
    list: async () => [{ id: "c1", title: "t", createdMs: 0, updatedMs: 0 }],
    messages: async () => [],
    remove: async () => null,
    complete: async () => Promise.reject(new Error("unused")),
    editPreview: async () => Promise.reject(new Error("unused")),
    editFromText: async () => Promise.reject(new Error("unused")),
    editApply: async () => Promise.reject(new Error("unused")),
    editDiscard: async () => null,
  };
}

const ctx = { currentFile: null, selection: null, files: [], codebase: false };

describe("ChatModel", () => {
  it("streams deltas into the answer and voids text from a failed attempt", async () => {
    let seen: string[] = [];
    const b = backend(async (on) => {
      on({ type: "started", chatId: "c1", citations: [{ kind: "file", path: "a.rs", lineStart: 1, lineEnd: 3, truncated: false }], note: null });
      on({ type: "trying", provider: "a", model: "m" });
      on({ type: "delta", text: "partial from a" });
      on({ type: "fallback", provider: "a", model: "m", reason: "stream dropped" });
      on({ type: "trying", provider: "b", model: "m" });
      on({ type: "delta", text: "Hel" });
      on({ type: "delta", text: "lo" });
      seen = [m.changes.get().messages[1]!.text];
      return answer("Hello");
    });
    const m = new ChatModel(b, "p");
    await m.send("  hi  ", ctx);
    expect(seen).toEqual(["Hello"]);
    const s = m.changes.get();
    expect(s.busy).toBe(false);
    expect(s.chatId).toBe("c1");
    expect(s.messages[0]).toMatchObject({ role: "user", text: "hi" });
    expect(s.messages[0]!.citations[0]!.path).toBe("a.rs");
    expect(s.messages[1]!.notes).toEqual(["a failed: stream dropped; trying the next provider"]);
    expect(s.messages[1]!.meta?.provider).toBe("local");
    expect(s.chats.length).toBe(1);
    // The follow-up continues the same chat.
    await m.send("again", ctx);
    expect(b.inputs[1]!.chatId).toBe("c1");
  });

  it("shows the error code of a failed answer and keeps the question", async () => {
    const m = new ChatModel(backend(async () => Promise.reject(new IpcError("ProviderUnavailable", "No AI provider is configured"))), "p");
    await m.send("q", ctx);
    const last = m.changes.get().messages[1]!;
    expect(last.error).toEqual({ code: "ProviderUnavailable", message: "No AI provider is configured" });
    expect(m.changes.get().messages[0]!.text).toBe("q");
  });

  it("stop cancels the running request by its id", async () => {
    let release: () => void = () => {};
    const b = backend(() => new Promise((_, reject) => (release = () => reject(new IpcError("Cancelled", "cancelled")))));
    const m = new ChatModel(b, "p");
    const sending = m.send("q", ctx);
    expect(m.changes.get().busy).toBe(true);
    await m.stop();
    expect(b.cancelled.length).toBe(1);
    release();
    await sending;
    expect(m.changes.get().messages[1]!.error?.code).toBe("Cancelled");
  });
});
