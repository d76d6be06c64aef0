import { describe, expect, it } from "vitest";
import { IpcError } from "../../ipc";
import type { PtyInfo, PtyOpen, PtyOpened } from "../../ipc/bindings";
import { LOST_LINE, TerminalSessions, exitLine, toBytes, type PtyBackend, type SocketLike, type TermView } from "./sessions";

class FakeView implements TermView {
  cols = 80;
  rows = 24;
  written: Array<Uint8Array | string> = [];
  data?: (d: string) => void;
  resize?: (s: { cols: number; rows: number }) => void;
  disposed = false;
  /** Write callbacks not yet run: the test decides when "xterm" has parsed. */
  unparsed: Array<() => void> = [];
  write(d: Uint8Array | string, parsed?: () => void) {
    this.written.push(d);
    if (parsed) this.unparsed.push(parsed);
  }
  parseAll() {
    for (const p of this.unparsed.splice(0)) p();
  }
  onData(cb: (d: string) => void) {
    this.data = cb;
  }
  onResize(cb: (s: { cols: number; rows: number }) => void) {
    this.resize = cb;
  }
  dispose() {
    this.disposed = true;
  }
  /** Decodes like xterm does: one UTF-8 stream across writes. */
  text() {
    const dec = new TextDecoder();
    return this.written.map((w) => (typeof w === "string" ? w : dec.decode(w, { stream: true }))).join("");
  }
}

/** A socket the test drives: `bytes`, `text` and `end` play the backend's side. */
class FakeSocket implements SocketLike {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  closed = false;
  /** Whether `send` takes a message (an open connection). */
  accepting = true;
  /** Text messages the page sent back. */
  sent: string[] = [];
  constructor(readonly url: string) {}
  send(t: string) {
    if (!this.accepting) return false;
    this.sent.push(t);
    return true;
  }
  bytes(b: Uint8Array) {
    this.onmessage?.({ data: b.buffer });
  }
  text(t: string) {
    this.onmessage?.({ data: t });
  }
  end() {
    this.onclose?.({ code: 1000, reason: "" });
  }
  close() {
    this.closed = true;
    this.end();
  }
}

function setup(failWith?: IpcError) {
  const calls: string[] = [];
  const sockets: FakeSocket[] = [];
  let n = 0;
  const backend: PtyBackend = {
    async ptyOpen(_p: string, o: PtyOpen): Promise<PtyOpened> {
      calls.push(`open ${o.cols}x${o.rows} sandboxed=${o.sandboxed} partial=${o.allowPartial}`);
      if (failWith && !o.allowPartial) throw failWith;
      n += 1;
      const info = { id: `t${n}`, projectId: "p", title: "bash", shell: "/bin/bash", sandbox: o.sandboxed ? "Partial: seccomp" : null } as PtyInfo;
      return { info, output: `ws://127.0.0.1:1/token${n}` };
    },
    async ptyWrite(id: string, d: string) {
      calls.push(`write ${id} ${JSON.stringify(d)}`);
      return null;
    },
    async ptyResize(id: string, c: number, r: number) {
      calls.push(`resize ${id} ${c}x${r}`);
      return null;
    },
    async ptyAck(id: string, bytes: number) {
      calls.push(`ack ${id} ${bytes}`);
      return null;
    },
    async ptyClose(id: string) {
      calls.push(`close ${id}`);
      return null;
    },
    async ptyKill(id: string) {
      calls.push(`kill ${id}`);
      return null;
    },
    async ptyRename(id: string, title: string) {
      return { id, projectId: "p", title, shell: "/bin/bash", sandbox: null };
    },
  };
  const views: FakeView[] = [];
  const s = new TerminalSessions({
    backend,
    projectId: "p",
    makeView: () => {
      const v = new FakeView();
      views.push(v);
      return v;
    },
    connect: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
  });
  return { s, calls, sockets, views };
}

describe("TerminalSessions", () => {
  it("wires output, input, resize and exit of a session", async () => {
    const { s, calls, sockets, views } = setup();
    await s.open();
    const v = views[0]!;
    expect(sockets.map((k) => k.url)).toEqual(["ws://127.0.0.1:1/token1"]);
    sockets[0]!.bytes(new TextEncoder().encode("price "));
    sockets[0]!.bytes(new Uint8Array([0xe2, 0x82]));
    sockets[0]!.bytes(new Uint8Array([0xac]));
    // Bytes go to the view as bytes: the split euro sign is whole once xterm decodes them.
    expect(v.text()).toBe("price €");
    v.data!("ls\r");
    v.resize!({ cols: 100, rows: 30 });
    expect(calls).toEqual(["open 80x24 sandboxed=false partial=false", 'write t1 "ls\\r"', "resize t1 100x30"]);
    sockets[0]!.text(JSON.stringify({ kind: "exit", exit: { exitCode: 3, signal: null } }));
    expect(s.state.get().tabs[0]!.exit).toEqual({ exitCode: 3, signal: null });
    expect(v.text()).toContain("exited with code 3");
    // The backend closes the stream after the exit: nothing more is said.
    sockets[0]!.end();
    expect(v.text()).not.toContain("disconnected");
  });

  it("says so when the output stream ends without an exit, but not when the tab is closed", async () => {
    const { s, sockets, views } = setup();
    await s.open();
    await s.open();
    sockets[0]!.end();
    expect(views[0]!.text()).toBe(LOST_LINE);
    await s.close("t2");
    expect(sockets[1]!.closed).toBe(true);
    expect(views[1]!.text()).toBe("");
  });

  it("acknowledges output once the view has parsed it", async () => {
    const { s, calls, sockets, views } = setup();
    await s.open();
    const v = views[0]!;
    sockets[0]!.bytes(new TextEncoder().encode("early "));
    const big = new Uint8Array(300 * 1024).fill(0x61);
    sockets[0]!.bytes(big);
    // Nothing is acknowledged before xterm has parsed it: the backend keeps holding the flood.
    expect(calls.filter((c) => c.startsWith("ack"))).toEqual([]);
    v.parseAll();
    // "early " (6 bytes) and the 300 KiB batch; past ACK_BYTES the ack goes out at once,
    // as a text message on the output socket, not as an invoke.
    expect(sockets[0]!.sent).toEqual([`${6 + big.length}`]);
    expect(calls.filter((c) => c.startsWith("ack"))).toEqual([]);
    // A socket that cannot take the message: the ack goes through pty_ack instead.
    sockets[0]!.accepting = false;
    sockets[0]!.bytes(big);
    v.parseAll();
    expect(calls.filter((c) => c.startsWith("ack"))).toEqual([`ack t1 ${big.length}`]);
    expect(sockets[0]!.sent).toHaveLength(1);
    await s.close("t1");
  });

  it("asks before a partial sandbox and opens with consent", async () => {
    const { s, calls } = setup(new IpcError("SandboxUnavailable", "Partial: seccomp (no Landlock)"));
    expect(await s.open(true)).toBeNull();
    expect(s.state.get().consent?.message).toContain("no Landlock");
    expect(s.state.get().tabs).toEqual([]);
    await s.acceptPartial();
    expect(calls.at(-1)).toBe("open 80x24 sandboxed=true partial=true");
    expect(s.state.get().tabs[0]!.sandbox).toBe("Partial: seccomp");
    expect(s.state.get().consent).toBeNull();
  });

  it("closing picks the neighbour tab and disposes the view", async () => {
    const { s, views } = setup();
    await s.open();
    await s.open();
    await s.open();
    s.activate("t2");
    await s.close("t2");
    expect(s.state.get().tabs.map((t) => t.id)).toEqual(["t1", "t3"]);
    expect(s.state.get().active).toBe("t3");
    expect(views[1]!.disposed).toBe(true);
    await s.rename("t1", "build");
    expect(s.state.get().tabs[0]!.title).toBe("build");
  });

  it("formats exits and accepts every byte shape", () => {
    expect(exitLine({ exitCode: 0, signal: "Killed" })).toContain("killed by Killed");
    expect(toBytes([104, 105])).toEqual(new Uint8Array([104, 105]));
    expect(toBytes(new Uint8Array([1]).buffer)).toEqual(new Uint8Array([1]));
  });
});
