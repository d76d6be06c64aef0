import { describe, expect, it } from "vitest";
import { IpcError } from "../../ipc";
import type { PtyEvent, PtyInfo, PtyOpen } from "../../ipc/bindings";
import { TerminalSessions, exitLine, toBytes, type ChannelLike, type PtyBackend, type TermView } from "./sessions";

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

function setup(failWith?: IpcError) {
  const calls: string[] = [];
  const channels: Array<ChannelLike<unknown>> = [];
  let n = 0;
  const backend: PtyBackend = {
    async ptyOpen(_p: string, o: PtyOpen, output: unknown, events: unknown) {
      calls.push(`open ${o.cols}x${o.rows} sandboxed=${o.sandboxed} partial=${o.allowPartial}`);
      if (failWith && !o.allowPartial) throw failWith;
      channels.push(output as ChannelLike<unknown>, events as ChannelLike<unknown>);
      // Output can arrive before the open call returns.
      (output as ChannelLike<unknown>).onmessage(new TextEncoder().encode("early ").buffer);
      n += 1;
      return { id: `t${n}`, projectId: "p", title: "bash", shell: "/bin/bash", sandbox: o.sandboxed ? "Partial: seccomp" : null } as PtyInfo;
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
    makeChannel: <T,>() => ({ onmessage: (_: T) => {} }),
  });
  return { s, calls, channels, views };
}

describe("TerminalSessions", () => {
  it("wires output, input, resize and exit of a session", async () => {
    const { s, calls, channels, views } = setup();
    await s.open();
    const v = views[0]!;
    channels[0]!.onmessage(new Uint8Array([0xe2, 0x82]).buffer);
    channels[0]!.onmessage(new Uint8Array([0xac]).buffer);
    // Bytes go to the view as bytes: the split euro sign is whole once xterm decodes them.
    expect(v.text()).toBe("early €");
    v.data!("ls\r");
    v.resize!({ cols: 100, rows: 30 });
    expect(calls).toEqual(["open 80x24 sandboxed=false partial=false", 'write t1 "ls\\r"', "resize t1 100x30"]);
    (channels[1] as ChannelLike<PtyEvent>).onmessage({ kind: "exit", exit: { exitCode: 3, signal: null } });
    expect(s.state.get().tabs[0]!.exit).toEqual({ exitCode: 3, signal: null });
    expect(v.text()).toContain("exited with code 3");
  });

  it("acknowledges output once the view has parsed it, early output included", async () => {
    const { s, calls, channels, views } = setup();
    await s.open();
    const v = views[0]!;
    const big = new Uint8Array(300 * 1024).fill(0x61);
    channels[0]!.onmessage(big.buffer);
    // Nothing is acknowledged before xterm has parsed it: the backend keeps holding the flood.
    expect(calls.filter((c) => c.startsWith("ack"))).toEqual([]);
    v.parseAll();
    // "early " (6 bytes) and the 300 KiB batch; past ACK_BYTES the ack goes out at once.
    expect(calls.filter((c) => c.startsWith("ack"))).toEqual([`ack t1 ${6 + big.length}`]);
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
