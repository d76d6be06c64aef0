// xterm.js 6 syncs its scroll area (the VS Code scrollable behind the scrollbar) on every
// buffer scroll, i.e. on every line feed at the bottom of the screen: for `seq 1 2000000`
// that is two million trips through the scrollable's dimension and position updates.
// Measured in this app's WebView (scripts/bench/exec-window.mjs, xterm alone on the same
// bytes): that work alone costs 35-60% of the throughput of an open terminal. Earlier
// xterm versions synced once per animation frame; this does the same for the per-scroll
// path only: calls without an argument (the buffer's onScroll listener) are coalesced
// into one per frame, which runs the original with the buffer's position at that moment.
// Calls with an argument (xterm's own queued sync, carrying its target position) pass
// through untouched. The scrollbar is painted once per frame anyway, so nothing visible
// changes. It reaches into xterm's internals: `viewportSyncPatchable` says whether the
// installed xterm still has the shape this expects, and the patch is skipped if not.

/** The part of xterm's private Viewport this touches. */
export interface SyncingViewport {
  _sync: (...args: unknown[]) => void;
}

type Frame = (cb: () => void) => unknown;

/** xterm's private core as far as the patch needs it. */
export function viewportOf(term: unknown): SyncingViewport | null {
  const v = (term as { _core?: { _viewport?: unknown } })?._core?._viewport as Partial<SyncingViewport> | undefined;
  return v && typeof v._sync === "function" ? (v as SyncingViewport) : null;
}

/**
 * Coalesces `viewport`'s per-scroll syncs into one per frame. `alive` is asked before the
 * deferred sync runs (a terminal disposed in the meantime is left alone).
 */
export function coalesceViewportSync(viewport: SyncingViewport, alive: () => boolean, frame: Frame = (cb) => requestAnimationFrame(cb)): void {
  const original = viewport._sync.bind(viewport);
  let queued = false;
  viewport._sync = (...args: unknown[]) => {
    if (args.length > 0) {
      original(...args);
      return;
    }
    if (queued) return;
    queued = true;
    frame(() => {
      queued = false;
      if (alive()) original();
    });
  };
}
