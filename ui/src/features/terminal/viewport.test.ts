// The ES module is what the app bundles; its text, for the shape check below.
import xtermLib from "@xterm/xterm/lib/xterm.mjs?raw";
import { describe, expect, it } from "vitest";
import { coalesceViewportSync, viewportOf, type SyncingViewport } from "./viewport";

describe("coalesceViewportSync", () => {
  it("turns many per-scroll syncs into one per frame and passes targeted syncs through", () => {
    const calls: unknown[][] = [];
    const v: SyncingViewport = { _sync: (...a: unknown[]) => void calls.push(a) };
    const frames: Array<() => void> = [];
    let alive = true;
    coalesceViewportSync(v, () => alive, (cb) => frames.push(cb));
    for (let i = 0; i < 1000; i++) v._sync();
    expect(calls).toEqual([]);
    expect(frames.length).toBe(1);
    // xterm's own queued sync carries its position: it must not be delayed or dropped.
    v._sync(42);
    expect(calls).toEqual([[42]]);
    frames.shift()!();
    expect(calls).toEqual([[42], []]);
    // The next scroll queues the next frame.
    v._sync();
    expect(frames.length).toBe(1);
    alive = false;
    frames.shift()!();
    expect(calls.length).toBe(2);
  });

  it("finds the viewport only where xterm has one", () => {
    expect(viewportOf({})).toBeNull();
    expect(viewportOf({ _core: { _viewport: { _sync: () => {} } } })).not.toBeNull();
  });

  it("matches the installed xterm: its buffer-scroll listener calls _sync() without arguments, its queued sync with one", () => {
    // If this fails after an xterm upgrade, re-measure (scripts/bench/exec) before
    // adapting the patch.
    const lib: string = xtermLib;
    expect(lib.length).toBeGreaterThan(100_000);
    const calls = lib.match(/this\._sync\([^)]*\)/g) ?? [];
    expect(calls).toEqual(["this._sync()", "this._sync(this._latestYDisp)"]);
    expect(/_bufferService\.onScroll\(\(?\(\)=>this\._sync\(\)\)/.test(lib)).toBe(true);
  });
});
