// The terminals of a project: tabs, and for each a terminal view wired to a backend PTY.
// Output arrives as raw bytes (ArrayBuffer messages) on the session's loopback WebSocket
// and goes to xterm.js as bytes, which decodes UTF-8 as a stream; the exit comes as a JSON
// text message after the last output. What xterm has parsed is acknowledged to the backend
// on the same socket (flow control, see flow.ts). Framework-free: the backend, the socket
// and the terminal view are passed in, so the logic is unit tested without a window.

import type { Api } from "../../ipc";
import { isCode, toIpcError } from "../../ipc";
import type { PtyEvent, PtyExit, PtyInfo, PtyOpened } from "../../ipc/bindings";
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

/** What the model needs of a WebSocket (tests pass their own). */
export interface SocketLike {
  onmessage: ((e: { data: unknown }) => void) | null;
  onclose: ((e: { code: number; reason: string }) => void) | null;
  close(): void;
  /** Sends a text message if the socket is open; false when it cannot (not yet, or gone). */
  send(text: string): boolean;
}

export interface Deps {
  backend: PtyBackend;
  projectId: string;
  makeView: () => TermView;
  connect?: (url: string) => SocketLike;
}

function connectSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  const socket: SocketLike = {
    onmessage: null,
    onclose: null,
    close: () => ws.close(),
    send: (text) => {
      if (ws.readyState !== WebSocket.OPEN) return false;
      ws.send(text);
      return true;
    },
  };
  ws.onmessage = (e) => socket.onmessage?.(e);
  ws.onclose = (e) => socket.onclose?.(e);
  return socket;
}

/** A line in the terminal when its output stream ends without an exit (the backend went). */
export const LOST_LINE = "\r\n\x1b[2m[terminal output disconnected]\x1b[0m\r\n";

/** Bytes from the socket: an ArrayBuffer, or a plain array in a fallback. */
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
  private readonly sockets = new Map<string, SocketLike>();
  private readonly deps: Deps;

  constructor(deps: Deps) {
    this.deps = deps;
  }

  private patch(id: string, f: (t: TermTab) => TermTab): void {
    this.state.update((s) => ({ ...s, tabs: s.tabs.map((t) => (t.id === id ? f(t) : t)) }));
  }

  /** Opens a terminal; a sandboxed one that cannot have every layer asks first. */
  async open(sandboxed = false, allowPartial = false): Promise<PtyInfo | null> {
    const view = this.deps.makeView();
    let opened: PtyOpened;
    try {
      opened = await this.deps.backend.ptyOpen(this.deps.projectId, { cols: Math.max(2, view.cols), rows: Math.max(1, view.rows), sandboxed, allowPartial });
    } catch (e) {
      view.dispose();
      const err = toIpcError(e);
      if (sandboxed && !allowPartial && isCode(err, "SandboxUnavailable")) this.state.update((s) => ({ ...s, consent: { message: err.message } }));
      else this.state.update((s) => ({ ...s, error: `${err.code}: ${err.message}` }));
      return null;
    }
    const info = opened.info;
    const sid = info.id;
    // Output written before the socket connects waits for it in the backend.
    const socket = (this.deps.connect ?? connectSocket)(opened.output);
    this.sockets.set(sid, socket);
    // Acks go back on the output socket (its text messages are byte counts): no invoke
    // round trip per ack during a flood. `pty_ack` when the socket cannot take one.
    const acks = new Acks((id, n) => (socket.send(String(n)) ? Promise.resolve() : this.deps.backend.ptyAck(id, n)));
    acks.start(sid);
    this.acks.set(sid, acks);
    let exited = false;
    socket.onmessage = ({ data }) => {
      if (typeof data !== "string") {
        for (const piece of slices(toBytes(data))) view.write(piece, () => acks.add(piece.length));
        return;
      }
      const e = JSON.parse(data) as PtyEvent;
      if (e.kind !== "exit") return;
      exited = true;
      view.write(exitLine(e.exit));
      this.patch(sid, (t) => ({ ...t, exit: e.exit }));
    };
    socket.onclose = () => {
      if (!exited && this.sockets.get(sid) === socket) view.write(LOST_LINE);
    };
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
    const socket = this.sockets.get(id);
    this.sockets.delete(id);
    socket?.close();
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
