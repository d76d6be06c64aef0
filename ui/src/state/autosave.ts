// Auto-save per the settings: "off", "after_delay" (a quiet period after the last
// keystroke, editor.auto_save_delay_ms) or "on_focus_change" (when the editor loses
// focus, the window blurs or another tab is shown).

import type { AutoSave } from "../ipc/bindings";
import { realTimers, type Timers } from "./persist";

export interface AutoSavePolicy {
  mode: AutoSave;
  delayMs: number;
}

export class AutoSaver {
  private timers = new Map<string, unknown>();

  constructor(
    private readonly save: (path: string) => Promise<void>,
    private readonly dirtyPaths: () => string[],
    private readonly policy: () => AutoSavePolicy,
    private readonly clock: Timers = realTimers,
  ) {}

  /** A buffer changed: with "after_delay", (re)start that file's quiet-period timer. */
  edited(path: string): void {
    const p = this.policy();
    if (p.mode !== "after_delay") return;
    this.cancel(path);
    const t = this.clock.setTimeout(() => {
      this.timers.delete(path);
      if (this.dirtyPaths().includes(path)) void this.save(path);
    }, Math.max(0, p.delayMs));
    this.timers.set(path, t);
  }

  /** Focus left the editor (or the window): with "on_focus_change", save every dirty file. */
  focusChanged(): void {
    if (this.policy().mode !== "on_focus_change") return;
    for (const p of this.dirtyPaths()) void this.save(p);
  }

  /** A pending save follows its file to its new name. */
  renamed(from: string, to: string): void {
    if (!this.timers.has(from)) return;
    this.cancel(from);
    this.edited(to);
  }

  cancel(path: string): void {
    const t = this.timers.get(path);
    if (t !== undefined) this.clock.clearTimeout(t);
    this.timers.delete(path);
  }

  dispose(): void {
    for (const p of [...this.timers.keys()]) this.cancel(p);
  }
}
