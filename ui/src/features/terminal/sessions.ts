// The terminals of a project: tabs, and for each a terminal view wired to a backend PTY.
// Output arrives as raw bytes (ArrayBuffer) on the session's channel and goes to xterm.js
// as bytes, which decodes UTF-8 as a stream; what xterm has parsed is acknowledged to the
// backend (flow control, see flow.ts). Framework-free: the backend, the channels and the
// terminal view are passed in, so the logic is unit tested without a window.

import { Channel } from "@tauri-apps/api/core";
import type { Api } from "../../ipc";
import { isCode, toIpcError } from "../../ipc";
import type { PtyEvent, PtyExit, PtyInfo } from "../../ipc/bindings";
import { writable, type Writable } from "../../state/store";
import { Acks, slices } from "./flow";

export type PtyBackend = Pick<Api, "ptyOpen" | "ptyWrite" | "ptyResize" | "ptyAck" | "ptyClose" | "ptyKill" | "ptyRename">;

/** What the model needs of a terminal view (xterm.js's Terminal has all of it). */
export interface TermView {
  readonly cols: number;
  readonly rows: number;
  /** `parsed` runs once the terminal has processed `data` (xterm's write callback). */
  write(data: Uint8Array | string, parsed?: () => void): void;
  onData(cb: (data: string) => void): unknown;
  onResize(cb: (size: { cols: number; rows: number }) => void): unknown;
  dispose(): void;
}

export interface TermTab {
  id: string;
  title: string;
  /** The sandbox summary when the shell runs inside it. */
  sandbox: string | null;
  exit: PtyExit | null;
}

export interface TermState {
  tabs: TermTab[];
  active: string | null;
  /** A sandboxed terminal could not get every layer: the user decides. */
  consent: { message: string } | null;
  error: string | null;
}

/** Channels as the page makes them (tests pass plain objects with `onmessage`). */
export interface ChannelLike<T> {
  onmessage: (m: T) => void;
}

export interface Deps {
  backend: PtyBackend;
  projectId: string;
  makeView: () => TermView;
  makeChannel?: <T>() => ChannelLike<T>;
}

/** Bytes from the channel: an ArrayBuffer from Tauri, or a plain array in a fallback. */
export function toBytes(m: unknown): Uint8Array {
  if (m instanceof Uint8Array) return m;
  if (m instanceof ArrayBuffer) return new Uint8Array(m);
  if (Array.isArray(m)) return Uint8Array.from(m as number[]);
  return new Uint8Array();
}

export function exitLine(e: PtyExit): string {
  const how = e.signal ? `killed by ${e.signal}` : `exited with code ${e.exitCode}`;
  return `\r\n\x1b[2m[process ${how}]\x1b[0m\r\n`;
}

export class TerminalSessions {
  readonly state: Writable<TermState> = writable({ tabs: [], active: null, consent: null, error: null });
  readonly views = new Map<string, TermView>();
  private readonly acks = new Map<string, Acks>();
  private readonly deps: Deps;

  constructor(deps: Deps) {
    this.deps = deps;
  }

  private channel<T>(): ChannelLike<T> {
    return this.deps.makeChannel ? this.deps.makeChannel<T>() : (new Channel<T>() as unknown as ChannelLike<T>);
  }

  private patch(id: string, f: (t: TermTab) => TermTab): void {
    this.state.update((s) => ({ ...s, tabs: s.tabs.map((t) => (t.id === id ? f(t) : t)) }));
  }

  /** Opens a terminal; a sandboxed one that cannot have every layer asks first. */
  async open(sandboxed = false, allowPartial = false): Promise<PtyInfo | null> {
    const view = this.deps.makeView();
    const output = this.channel<unknown>();
    const events = this.channel<PtyEvent>();
    let id: string | null = null;
    const early: Uint8Array[] = [];
    const acks = new Acks((sid, n) => this.deps.backend.ptyAck(sid, n));
    const write = (bytes: Uint8Array) => {
      for (const piece of slices(bytes)) view.write(piece, () => acks.add(piece.length));
    };
    output.onmessage = (m) => {
      const bytes = toBytes(m);
      if (id) write(bytes);
      else early.push(bytes);
    };
    events.onmessage = (e) => {
      if (e.kind !== "exit") return;
      view.write(exitLine(e.exit));
      if (id) this.patch(id, (t) => ({ ...t, exit: e.exit }));
    };
    let info: PtyInfo;
    try {
      info = await this.deps.backend.ptyOpen(
        this.deps.projectId,
        { cols: Math.max(2, view.cols), rows: Math.max(1, view.rows), sandboxed, allowPartial },
        output as never,
        events as never,
      );
    } catch (e) {
      acks.dispose();
      view.dispose();
      const err = toIpcError(e);
      if (sandboxed && !allowPartial && isCode(err, "SandboxUnavailable")) this.state.update((s) => ({ ...s, consent: { message: err.message } }));
      else this.state.update((s) => ({ ...s, error: `${err.code}: ${err.message}` }));
      return null;
    }
    id = info.id;
    for (const b of early.splice(0)) write(b);
    const sid = info.id;
    acks.start(sid);
    this.acks.set(sid, acks);
    view.onData((d) => void this.deps.backend.ptyWrite(sid, d).catch(() => {}));
    view.onResize(({ cols, rows }) => void this.deps.backend.ptyResize(sid, cols, rows).catch(() => {}));
    this.views.set(sid, view);
    const tab: TermTab = { id: sid, title: info.title, sandbox: info.sandbox, exit: null };
    this.state.update((s) => ({ ...s, tabs: [...s.tabs, tab], active: sid, consent: null, error: null }));
    return info;
  }

  /** The user agreed to a partial sandbox. */
  async acceptPartial(): Promise<void> {
    this.state.update((s) => ({ ...s, consent: null }));
    await this.open(true, true);
  }

  dismiss(): void {
    this.state.update((s) => ({ ...s, consent: null, error: null }));
  }

  activate(id: string): void {
    this.state.update((s) => ({ ...s, active: id }));
  }

  async rename(id: string, title: string): Promise<void> {
    try {
      const info = await this.deps.backend.ptyRename(id, title);
      this.patch(id, (t) => ({ ...t, title: info.title }));
    } catch (e) {
      const err = toIpcError(e);
      this.state.update((s) => ({ ...s, error: `${err.code}: ${err.message}` }));
    }
  }

  async kill(id: string): Promise<void> {
    await this.deps.backend.ptyKill(id).catch(() => {});
  }

  /** Ends the terminal's processes and removes its tab. */
  async close(id: string): Promise<void> {
    await this.deps.backend.ptyClose(id).catch(() => {});
    this.acks.get(id)?.dispose();
    this.acks.delete(id);
    this.views.get(id)?.dispose();
    this.views.delete(id);
    this.state.update((s) => {
      const i = s.tabs.findIndex((t) => t.id === id);
      const tabs = s.tabs.filter((t) => t.id !== id);
      const active = s.active === id ? (tabs[Math.min(i, tabs.length - 1)]?.id ?? null) : s.active;
      return { ...s, tabs, active };
    });
  }

  /** Types text into the active terminal (the palette's "Run in terminal"). */
  async send(text: string): Promise<void> {
    const id = this.state.get().active;
    if (id) await this.deps.backend.ptyWrite(id, text);
  }
}
