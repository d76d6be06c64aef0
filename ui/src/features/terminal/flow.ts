// Flow control, the page's half: xterm.js reports each write as parsed (its write
// callback) and the bytes are acknowledged to the backend, which stops reading the PTY
// while too much is unacknowledged (aura-exec's FLOW_HIGH / FLOW_LOW). A flood then waits
// for xterm instead of piling up in the page (xterm drops writes past 50 MB of backlog)
// and Ctrl+C shows its effect after a short backlog. Acks are coalesced: at once from
// ACK_BYTES on, otherwise after ACK_DELAY_MS, so an interactive terminal costs one small
// message per burst of echo, not one per keystroke.

export const ACK_BYTES = 256 * 1024;
export const ACK_DELAY_MS = 20;

/**
 * Splits a big batch (the backend sends up to 2 MiB) so that xterm, which parses one write
 * without yielding, gets back to input and painting at least every ~100 ms of a flood at
 * the ~10 MB/s it parses here; 256 KiB pieces cost throughput (more frames), 1 MiB did not.
 */
export const WRITE_SLICE = 1024 * 1024;

export type SendAck = (id: string, bytes: number) => Promise<unknown>;

export class Acks {
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private id: string | null = null;
  private readonly send: SendAck;

  constructor(send: SendAck) {
    this.send = send;
  }

  /** The session is known: what was parsed before goes out now. */
  start(id: string): void {
    this.id = id;
    this.flush();
  }

  /** `bytes` more were parsed by xterm. */
  add(bytes: number): void {
    this.pending += bytes;
    if (!this.id) return;
    if (this.pending >= ACK_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), ACK_DELAY_MS);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.id || this.pending === 0) return;
    const n = this.pending;
    this.pending = 0;
    // A closed terminal has nothing left to resume.
    void this.send(this.id, n).catch(() => {});
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.id = null;
  }
}

/** `bytes` as pieces of at most `slice` (views, no copies). */
export function slices(bytes: Uint8Array, slice = WRITE_SLICE): Uint8Array[] {
  if (bytes.length <= slice) return [bytes];
  const out: Uint8Array[] = [];
  for (let off = 0; off < bytes.length; off += slice) out.push(bytes.subarray(off, Math.min(off + slice, bytes.length)));
  return out;
}
