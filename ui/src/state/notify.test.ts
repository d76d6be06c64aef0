import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { INFO_TTL_MS, Notifier } from "./notify";

describe("Notifier", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("shows toasts, keeps a history, and lets info toasts fade", () => {
    const n = new Notifier();
    n.notify("info", "Saved");
    const err = n.notify("error", "Could not save", { code: "PermissionDenied", actions: [{ label: "Retry", run: () => {} }] });
    expect(n.toasts.get().map((t) => t.severity)).toEqual(["info", "error"]);
    vi.advanceTimersByTime(INFO_TTL_MS);
    expect(n.toasts.get().map((t) => t.id)).toEqual([err]);
    n.dismiss(err);
    expect(n.toasts.get()).toEqual([]);
    expect(n.history.get().map((t) => t.message)).toEqual(["Could not save", "Saved"]);
    expect(n.unread.get()).toBe(2);
    n.markRead();
    expect(n.unread.get()).toBe(0);
  });

  it("tracks progress entries", () => {
    const n = new Notifier();
    n.setProgress("index", "Indexing", 0.2);
    n.setProgress("index", "Indexing", 1.7);
    expect(n.progress.get()).toEqual([{ id: "index", title: "Indexing", fraction: 1 }]);
    n.endProgress("index");
    expect(n.progress.get()).toEqual([]);
  });
});
