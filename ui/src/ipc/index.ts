// The one door to the backend. Every generated command returns a tauri-specta
// `Result`; here it is unwrapped so callers write plain `await api.fsRead(...)`
// and handle failures with try/catch, branching on `IpcError.code` only.

import { commands, events } from "./bindings";
import type { ErrorCode, FsBatch, Result } from "./bindings";

export type { ErrorCode } from "./bindings";

/** A backend failure (or a transport failure mapped to `Internal`). */
export class IpcError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "IpcError";
    this.code = code;
  }
}

/** True when `e` is an IpcError carrying `code`; the UI's only way to branch on errors. */
export function isCode(e: unknown, code: ErrorCode): e is IpcError {
  return e instanceof IpcError && e.code === code;
}

// Anything thrown or returned that does not look like `{code, message}` means the
// bridge itself broke (command missing, panic text, ...): report it as Internal so
// the UI still has one shape to deal with.
export function toIpcError(e: unknown): IpcError {
  if (e instanceof IpcError) return e;
  if (e && typeof e === "object" && "code" in e && typeof (e as { code: unknown }).code === "string") {
    const raw = e as { code: ErrorCode; message?: unknown };
    return new IpcError(raw.code, typeof raw.message === "string" ? raw.message : String(raw.code));
  }
  if (e instanceof Error) return new IpcError("Internal", e.message);
  return new IpcError("Internal", typeof e === "string" ? e : JSON.stringify(e));
}

type AnyCommand = (...args: never[]) => Promise<unknown>;

// Maps each generated command to the same signature minus the Result wrapper, so
// the wrapper follows the generated file automatically when commands are added.
export type Unwrapped<C> = {
  [K in keyof C]: C[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => Promise<Unwrap<R>>
    : never;
};

// Distributes over the Result union: the ok arm gives its data, the error arm nothing.
type Unwrap<R> = R extends { status: "ok"; data: infer T } ? T : R extends { status: "error" } ? never : R;

function isResult(v: unknown): v is Result<unknown, unknown> {
  return !!v && typeof v === "object" && "status" in v && ((v as { status: unknown }).status === "ok" || (v as { status: unknown }).status === "error");
}

export function unwrapAll<C extends Record<string, AnyCommand>>(cmds: C): Unwrapped<C> {
  const out: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(cmds)) {
    out[name] = async (...args: never[]) => {
      let res: unknown;
      try {
        res = await fn(...args);
      } catch (e) {
        throw toIpcError(e);
      }
      // Commands declared infallible in Rust come back as bare values, not Results.
      if (!isResult(res)) return res;
      if (res.status === "ok") return res.data;
      throw toIpcError(res.error);
    };
  }
  return out as Unwrapped<C>;
}

export type Api = Unwrapped<typeof commands>;

/** The real backend. State modules take an `Api` (or a slice of it) so tests pass fakes. */
export const api: Api = unwrapAll(commands);

/** Subscribes to file-system batches; resolves to an unsubscribe function. */
export async function onFsBatch(cb: (batch: FsBatch) => void): Promise<() => void> {
  return events.fsBatch.listen((e) => cb(e.payload));
}
