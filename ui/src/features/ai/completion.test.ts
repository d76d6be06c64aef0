import { beforeEach, describe, expect, it } from "vitest";
import type { Completion, CompletionInput } from "../../ipc/bindings";
import { InlineController, inlineState } from "./completion";

function fakeBackend() {
  const calls: Array<{ input: CompletionInput; id: string }> = [];
  const cancelled: string[] = [];
  let release: (() => void) | null = null;
  return {
    calls,
    cancelled,
    hold: false,
    finish: () => release?.(),
    async complete(_p: string, input: CompletionInput, id: string): Promise<Completion> {
      calls.push({ input, id });
      if (this.hold) await new Promise<void>((r) => (release = r));
      return { text: `done:${input.prefix}`, provider: "p", model: "m", cached: false, snippets: [] };
    },
    async cancel(id: string) {
      cancelled.push(id);
      return true;
    },
  };
}

// A sleep the test releases by hand, to play keystrokes inside the debounce window.
function manualSleep() {
  const waiting: Array<() => void> = [];
  return { sleep: () => new Promise<void>((r) => waiting.push(r)), tick: () => waiting.splice(0).forEach((r) => r()) };
}

describe("InlineController", () => {
  beforeEach(() => inlineState.set({ enabled: true, lastError: null, busy: false }));

  it("only the last keystroke in the debounce window reaches the backend", async () => {
    const b = fakeBackend();
    const s = manualSleep();
    const c = new InlineController(b, 250, s.sleep);
    const first = c.request("p", "a.py", "python", "de", "", () => false);
    const second = c.request("p", "a.py", "python", "def", "", () => false);
    s.tick();
    expect(await first).toBeNull();
    expect(await second).toBe("done:def");
    expect(b.calls.map((x) => x.input.prefix)).toEqual(["def"]);
  });

  it("a keystroke while a request runs cancels it in the backend", async () => {
    const b = fakeBackend();
    b.hold = true;
    const s = manualSleep();
    const c = new InlineController(b, 250, s.sleep);
    const first = c.request("p", "a.py", "python", "x", "", () => false);
    s.tick();
    await new Promise((r) => setTimeout(r, 0));
    expect(b.calls.length).toBe(1);
    const second = c.request("p", "a.py", "python", "xy", "", () => false);
    expect(b.cancelled).toEqual([b.calls[0]!.id]);
    b.finish();
    expect(await first).toBeNull();
    b.hold = false;
    s.tick();
    expect(await second).toBe("done:xy");
  });

  it("does nothing while turned off, and reports failures quietly", async () => {
    const b = fakeBackend();
    const c = new InlineController(b, 0, async () => {});
    inlineState.set({ enabled: false, lastError: null, busy: false });
    expect(await c.request("p", "a", "t", "x", "", () => false)).toBeNull();
    expect(b.calls.length).toBe(0);
    inlineState.set({ enabled: true, lastError: null, busy: false });
    const failing = new InlineController({ ...b, complete: async () => Promise.reject(new Error("no provider")) }, 0, async () => {});
    expect(await failing.request("p", "a", "t", "x", "", () => false)).toBeNull();
    expect(inlineState.get().lastError).toBe("no provider");
  });
});
