// Open files and their tabs. The text itself lives in a `Buffers` implementation
// (Monaco models in the app, a Map in tests); this module decides when to read,
// save, reload and what to tell the user, with no knowledge of the editor widget.

import type { Encoding, FsEvent } from "../ipc/bindings";
import { isCode, toIpcError, type Api, type IpcError } from "../ipc";
import { isWithin } from "./paths";
import { writable, type Readable } from "./store";

export type DocsApi = Pick<Api, "fsRead" | "fsWrite">;

/** Editor-side storage of file text. `token` identifies a buffer revision. */
export interface Buffers {
  /** Creates (or replaces) the buffer and marks it clean. */
  load(path: string, text: string, readOnly: boolean): Promise<void>;
  snapshot(path: string): { text: string; token: number } | null;
  /** The buffer is clean if it is still at revision `token`. */
  markClean(path: string, token: number): void;
  /** The file was renamed: the same buffer (text, undo history) now belongs to `to`. */
  rename(from: string, to: string): void;
  dispose(path: string): void;
}

export type DocStatus = "loading" | "text" | "binary" | "error";
/** Why the user sees a notice above the editor. */
export type Notice =
  | { kind: "conflict" } // save refused: the disk has a newer version
  | { kind: "changedOnDisk" } // modified outside while we have unsaved edits
  | { kind: "deletedOnDisk" }
  | { kind: "failed"; error: IpcError };

export interface Doc {
  path: string;
  status: DocStatus;
  version: string | null;
  encoding: Encoding;
  readOnly: boolean;
  /** Opened read-only because the file is over the edit limit. */
  tooLarge: boolean;
  truncated: boolean;
  dirty: boolean;
  saving: boolean;
  notice: Notice | null;
  error: IpcError | null;
}

export interface DocsView {
  docs: Doc[];
  active: string | null;
  /** A dirty tab the user asked to close: the UI asks to discard or cancel. */
  pendingClose: string | null;
}

export class Documents {
  private docs = new Map<string, Doc>();
  private order: string[] = [];
  private active: string | null = null;
  private pendingClose: string | null = null;
  private resave = new Set<string>();
  private readonly view = writable<DocsView>({ docs: [], active: null, pendingClose: null });

  constructor(
    private readonly api: DocsApi,
    private readonly projectId: string,
    private readonly buffers: Buffers,
  ) {}

  get changes(): Readable<DocsView> {
    return this.view;
  }

  get(path: string): Doc | undefined {
    return this.docs.get(path);
  }

  async open(path: string): Promise<void> {
    this.active = path;
    if (this.docs.has(path)) return this.emit();
    this.order.push(path);
    this.docs.set(path, blankDoc(path));
    this.emit();
    await this.read(path);
  }

  activate(path: string): void {
    if (this.docs.has(path)) {
      this.active = path;
      this.emit();
    }
  }

  /** Closes a tab; a dirty one is only closed with `force`, otherwise the UI asks first. */
  close(path: string, force = false): boolean {
    const doc = this.docs.get(path);
    if (!doc) return true;
    if (doc.dirty && !force) {
      this.pendingClose = path;
      this.emit();
      return false;
    }
    const i = this.order.indexOf(path);
    this.order.splice(i, 1);
    this.docs.delete(path);
    this.buffers.dispose(path);
    if (this.pendingClose === path) this.pendingClose = null;
    if (this.active === path) this.active = this.order[Math.min(i, this.order.length - 1)] ?? null;
    this.emit();
    return true;
  }

  /** Drops every tab and buffer without asking (the project is being closed). */
  closeAll(): void {
    for (const p of [...this.order]) this.close(p, true);
  }

  cancelClose(): void {
    this.pendingClose = null;
    this.emit();
  }

  /** Called by the editor when a buffer's text diverges from (or returns to) the saved text. */
  setDirty(path: string, dirty: boolean): void {
    const doc = this.docs.get(path);
    if (doc && doc.dirty !== dirty) this.patch(path, { dirty });
  }

  async save(path: string): Promise<void> {
    const doc = this.docs.get(path);
    if (!doc || doc.status !== "text" || doc.readOnly) return;
    // A save while one is in flight runs again afterwards, so late keystrokes are not lost.
    if (doc.saving) {
      this.resave.add(path);
      return;
    }
    const snap = this.buffers.snapshot(path);
    if (!snap) return;
    this.patch(path, { saving: true });
    try {
      const version = await this.api.fsWrite(this.projectId, path, snap.text, doc.encoding, doc.version);
      this.buffers.markClean(path, snap.token);
      this.patch(path, { version, notice: null });
    } catch (e) {
      const err = toIpcError(e);
      // Writing with no expected version means "create"; finding a file there is a conflict too.
      const conflict = err.code === "Conflict" || (err.code === "AlreadyExists" && doc.version === null);
      this.patch(path, { notice: conflict ? { kind: "conflict" } : { kind: "failed", error: err } });
    } finally {
      this.patch(path, { saving: false });
    }
    if (this.resave.delete(path) && this.docs.get(path)?.dirty) await this.save(path);
  }

  /** Conflict resolution "keep mine": overwrite whatever is on disk now with the buffer. */
  async keepMine(path: string): Promise<void> {
    const doc = this.docs.get(path);
    if (!doc) return;
    let version: string | null;
    try {
      version = (await this.api.fsRead(this.projectId, path, false)).version;
    } catch (e) {
      // Deleted outside: writing with no expected version creates it again.
      if (!isCode(e, "NotFound")) return this.patch(path, { notice: { kind: "failed", error: toIpcError(e) } });
      version = null;
    }
    this.patch(path, { version, notice: null });
    await this.save(path);
  }

  /** Conflict resolution "reload": drop local edits and show the disk's text. */
  async reload(path: string): Promise<void> {
    if (this.docs.has(path)) await this.read(path, true);
  }

  /**
   * A file or folder was renamed or moved: every open document at or below `from` moves
   * with it, keeping its buffer, edits and undo history. Returns the moves made.
   */
  rename(from: string, to: string): Array<[string, string]> {
    const moved: Array<[string, string]> = [];
    for (const p of this.order) {
      if (!isWithin(p, from) || from === "") continue;
      const next = to + p.slice(from.length);
      // Renames never overwrite, so a document open at the target is a stale one (shown as
      // deleted): leave both alone rather than merge them.
      if (!this.docs.has(next)) moved.push([p, next]);
    }
    for (const [a, b] of moved) {
      const doc = this.docs.get(a)!;
      this.docs.delete(a);
      this.docs.set(b, { ...doc, path: b, notice: doc.notice?.kind === "deletedOnDisk" ? null : doc.notice });
      this.order[this.order.indexOf(a)] = b;
      if (this.active === a) this.active = b;
      if (this.pendingClose === a) this.pendingClose = b;
      if (this.resave.delete(a)) this.resave.add(b);
      this.buffers.rename(a, b);
    }
    if (moved.length > 0) this.emit();
    return moved;
  }

  /** Reacts to changes made outside the editor. */
  async applyEvents(events: FsEvent[]): Promise<void> {
    const work: Promise<void>[] = [];
    for (const ev of events) {
      const kind = ev.kind;
      if (kind.type === "Rescan") {
        for (const p of this.order) if (isWithin(p, ev.path)) work.push(this.externalChange(p));
        continue;
      }
      if (kind.type === "Removed" || kind.type === "Renamed") {
        // A removed folder takes its files with it. (A rename the session saw first has
        // already moved the documents, so nothing is left at the old path.)
        const gone = kind.type === "Removed" ? ev.path : kind.from;
        // No file means no version to expect: the next save creates it again.
        for (const p of this.order)
          if (gone !== "" && isWithin(p, gone) && this.docs.get(p)?.status === "text") this.patch(p, { notice: { kind: "deletedOnDisk" }, version: null });
      }
      if (kind.type !== "Removed" && this.docs.has(ev.path)) work.push(this.externalChange(ev.path));
    }
    await Promise.all(work);
  }

  private async externalChange(path: string): Promise<void> {
    const doc = this.docs.get(path);
    // Our own save also produces a Modified event; `saving` and the version check skip it.
    if (!doc || doc.status !== "text" || doc.saving) return;
    if (doc.dirty) {
      const disk = await this.api.fsRead(this.projectId, path, doc.readOnly).catch(() => null);
      if (disk && disk.version !== doc.version) this.patch(path, { notice: { kind: "changedOnDisk" } });
      return;
    }
    await this.read(path, false);
  }

  private async read(path: string, force = true): Promise<void> {
    const prev = this.docs.get(path);
    if (!prev) return;
    try {
      let readOnly = false;
      let file;
      try {
        file = await this.api.fsRead(this.projectId, path, false);
      } catch (e) {
        if (!isCode(e, "TooLarge")) throw e;
        readOnly = true;
        file = await this.api.fsRead(this.projectId, path, true);
      }
      const doc = this.docs.get(path);
      if (!doc) return; // closed while reading
      if (!force && doc.version === file.version && doc.status === "text") {
        if (doc.notice?.kind === "deletedOnDisk") this.patch(path, { notice: null });
        return;
      }
      await this.buffers.load(path, file.text, readOnly || file.readOnly);
      this.patch(path, {
        status: "text",
        version: file.version,
        encoding: file.encoding,
        readOnly: readOnly || file.readOnly,
        tooLarge: readOnly,
        truncated: file.truncated,
        dirty: false,
        notice: null,
        error: null,
      });
    } catch (e) {
      const err = toIpcError(e);
      if (!this.docs.has(path)) return;
      if (err.code === "Binary") this.patch(path, { status: "binary", error: err });
      else if (prev.status === "text") this.patch(path, { notice: { kind: "failed", error: err } });
      else this.patch(path, { status: "error", error: err });
    }
  }

  private patch(path: string, changes: Partial<Doc>): void {
    const doc = this.docs.get(path);
    if (!doc) return;
    this.docs.set(path, { ...doc, ...changes });
    this.emit();
  }

  private emit(): void {
    this.view.set({
      docs: this.order.map((p) => this.docs.get(p)!),
      active: this.active,
      pendingClose: this.pendingClose,
    });
  }
}

function blankDoc(path: string): Doc {
  return {
    path,
    status: "loading",
    version: null,
    encoding: "Utf8",
    readOnly: false,
    tooLarge: false,
    truncated: false,
    dirty: false,
    saving: false,
    notice: null,
    error: null,
  };
}
