// Notifications: toasts with a severity and optional actions, a history the status bar's
// bell opens, and progress entries for long work (indexing, later runs).

import { writable, type Readable } from "./store";
import { realTimers, type Timers } from "./persist";

export type Severity = "info" | "warning" | "error";

export interface NoticeAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  severity: Severity;
  message: string;
  /** An IpcError code, when the notification reports one. */
  code?: string;
  actions: NoticeAction[];
  time: number;
}

export interface Progress {
  id: string;
  title: string;
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
}

const HISTORY_MAX = 100;
/** Info toasts fade on their own; warnings and errors wait for the user. */
export const INFO_TTL_MS = 6000;

export class Notifier {
  private seq = 0;
  private readonly shown = writable<Toast[]>([]);
  private readonly past = writable<Toast[]>([]);
  private readonly work = writable<Progress[]>([]);
  /** Unread history entries, for the bell's badge. */
  readonly unread = writable(0);

  constructor(
    private readonly clock: Timers = realTimers,
    private readonly now: () => number = Date.now,
  ) {}

  get toasts(): Readable<Toast[]> {
    return this.shown;
  }
  get history(): Readable<Toast[]> {
    return this.past;
  }
  get progress(): Readable<Progress[]> {
    return this.work;
  }

  notify(severity: Severity, message: string, opts: { code?: string; actions?: NoticeAction[] } = {}): number {
    const toast: Toast = { id: ++this.seq, severity, message, code: opts.code, actions: opts.actions ?? [], time: this.now() };
    this.shown.update((t) => [...t, toast]);
    this.past.update((h) => [toast, ...h].slice(0, HISTORY_MAX));
    this.unread.update((n) => n + 1);
    if (severity === "info" && toast.actions.length === 0) this.clock.setTimeout(() => this.dismiss(toast.id), INFO_TTL_MS);
    return toast.id;
  }

  dismiss(id: number): void {
    this.shown.update((t) => t.filter((x) => x.id !== id));
  }

  clearHistory(): void {
    this.past.set([]);
    this.unread.set(0);
  }

  markRead(): void {
    this.unread.set(0);
  }

  /** Starts or updates a progress entry. */
  setProgress(id: string, title: string, fraction: number | null): void {
    const entry = { id, title, fraction: fraction === null ? null : Math.min(1, Math.max(0, fraction)) };
    this.work.update((w) => (w.some((p) => p.id === id) ? w.map((p) => (p.id === id ? entry : p)) : [...w, entry]));
  }

  endProgress(id: string): void {
    this.work.update((w) => w.filter((p) => p.id !== id));
  }
}
