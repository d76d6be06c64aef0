import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AutoSaver, type AutoSavePolicy } from "./autosave";
import { SessionSaver, parseSession, serializeSession } from "./persist";
import { defaultLayout } from "./layout";

function setup(policy: AutoSavePolicy) {
  const saved: string[] = [];
  const dirty = new Set<string>();
  const a = new AutoSaver(
    async (p) => {
      saved.push(p);
      dirty.delete(p);
    },
    () => [...dirty],
    () => policy,
  );
  return { a, saved, dirty };
}

describe("AutoSaver", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("after_delay saves once, a quiet period after the last edit", () => {
    const { a, saved, dirty } = setup({ mode: "after_delay", delayMs: 1000 });
    dirty.add("a.txt");
    a.edited("a.txt");
    vi.advanceTimersByTime(600);
    a.edited("a.txt");
    vi.advanceTimersByTime(600);
    expect(saved).toEqual([]);
    vi.advanceTimersByTime(400);
    expect(saved).toEqual(["a.txt"]);
    vi.advanceTimersByTime(5000);
    expect(saved).toEqual(["a.txt"]);
  });

  it("does not save a file that became clean meanwhile, nor when off", () => {
    const { a, saved, dirty } = setup({ mode: "after_delay", delayMs: 1000 });
    dirty.add("a.txt");
    a.edited("a.txt");
    dirty.delete("a.txt"); // undone back to the saved text
    vi.advanceTimersByTime(2000);
    expect(saved).toEqual([]);
    const off = setup({ mode: "off", delayMs: 1000 });
    off.dirty.add("b");
    off.a.edited("b");
    off.a.focusChanged();
    vi.advanceTimersByTime(2000);
    expect(off.saved).toEqual([]);
  });

  it("on_focus_change saves every dirty file when focus moves, not on edits", () => {
    const { a, saved, dirty } = setup({ mode: "on_focus_change", delayMs: 1000 });
    dirty.add("a");
    dirty.add("b");
    a.edited("a");
    vi.advanceTimersByTime(5000);
    expect(saved).toEqual([]);
    a.focusChanged();
    expect(saved.sort()).toEqual(["a", "b"]);
  });
});

describe("session persistence", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("round-trips layout and tabs and tolerates garbage", () => {
    const layout = { ...defaultLayout(), panel: { visible: true, height: 300, tab: "log" as const } };
    const editor = { groups: [{ tabs: ["a.txt", "src/b.rs"], active: "src/b.rs" }], focused: 0 };
    const back = parseSession(serializeSession(layout, editor));
    expect(back.layout).toEqual(layout);
    expect(back.editor).toEqual(editor);
    expect(parseSession("{not json").editor.groups).toEqual([]);
    expect(parseSession(null).layout).toEqual(defaultLayout());
    expect(parseSession('{"editor":{"groups":[{"tabs":["x",3]},null]}}').editor.groups).toEqual([{ tabs: ["x"], active: null }]);
  });

  it("debounces saves and skips unchanged state", async () => {
    const calls: string[] = [];
    let state = "s1";
    const s = new SessionSaver({ sessionSave: async (_id, json) => (calls.push(json), null) }, "p1", () => state, 400);
    s.changed();
    s.changed();
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toEqual(["s1"]);
    s.changed();
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toEqual(["s1"]);
    state = "s2";
    await s.flush();
    expect(calls).toEqual(["s1", "s2"]);
  });
});
