import { afterEach, describe, expect, it, vi } from "vitest";
import { ACK_BYTES, ACK_DELAY_MS, Acks, slices } from "./flow";

describe("Acks", () => {
  afterEach(() => vi.useRealTimers());

  it("holds acks until the session is known, then coalesces small ones and sends big ones at once", () => {
    vi.useFakeTimers();
    const sent: Array<[string, number]> = [];
    const a = new Acks(async (id, n) => void sent.push([id, n]));
    a.add(10);
    expect(sent).toEqual([]);
    a.start("t1");
    expect(sent).toEqual([["t1", 10]]);
    // Echo of a few keystrokes: one message after the delay, not one per keystroke.
    a.add(1);
    a.add(1);
    a.add(1);
    expect(sent.length).toBe(1);
    vi.advanceTimersByTime(ACK_DELAY_MS);
    expect(sent).toEqual([["t1", 10], ["t1", 3]]);
    // A flood's chunk goes out without waiting.
    a.add(ACK_BYTES);
    expect(sent.at(-1)).toEqual(["t1", ACK_BYTES]);
    a.add(5);
    a.dispose();
    vi.advanceTimersByTime(ACK_DELAY_MS * 2);
    expect(sent.length).toBe(3);
  });

  it("swallows a failed ack (the terminal was closed): no throw, no unhandled rejection", async () => {
    const send = vi.fn(() => Promise.reject(new Error("gone")));
    const a = new Acks(send);
    a.start("t1");
    expect(() => a.add(ACK_BYTES)).not.toThrow();
    expect(send).toHaveBeenCalledWith("t1", ACK_BYTES);
    // Vitest fails the run on an unhandled rejection; give it the chance to surface.
    await new Promise((r) => setTimeout(r, 0));
  });
});

describe("slices", () => {
  it("cuts without copying and keeps every byte", () => {
    const b = new Uint8Array(10).map((_, i) => i);
    const parts = slices(b, 4);
    expect(parts.map((p) => Array.from(p))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(parts[0]!.buffer).toBe(b.buffer);
    expect(slices(b, 10)).toEqual([b]);
  });
});
