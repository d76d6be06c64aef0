// Editor groups: which tabs each split shows, in what order, which one is the preview
// (replaced by the next single-click open) and which group has focus. The files
// themselves live in `Documents`, once each, however many groups show them, so a
// file's undo history survives tab switches and splits.

import type { Documents } from "./documents";
import { writable, type Readable } from "./store";

export interface Group {
  tabs: string[];
  active: string | null;
  /** The tab a single click opened; the next single-click open replaces it. */
  preview: string | null;
}

export interface PendingClose {
  group: number;
  path: string;
}

export interface GroupsView {
  groups: Group[];
  focused: number;
  /** A dirty tab the user asked to close: the UI asks Save / Don't save / Cancel. */
  pendingClose: PendingClose | null;
}

export interface SavedGroups {
  groups: Array<{ tabs: string[]; active: string | null }>;
  focused: number;
}

export type GroupDocs = Pick<Documents, "open" | "close" | "get" | "save" | "activate" | "changes">;

export const MAX_GROUPS = 2;

export class EditorGroups {
  private groups: Group[] = [emptyGroup()];
  private focused = 0;
  private pending: PendingClose | null = null;
  private readonly view = writable<GroupsView>(this.snapshot());

  constructor(private readonly docs: GroupDocs) {
    // Editing a preview tab keeps it: VS Code's rule, and the user's expectation.
    docs.changes.subscribe((v) => {
      for (const d of v.docs) if (d.dirty) for (const g of this.groups) if (g.preview === d.path) this.pin(d.path);
    });
  }

  get changes(): Readable<GroupsView> {
    return this.view;
  }

  /** The focused group's active tab: what Save, Go to line etc. act on. */
  activePath(): string | null {
    return this.groups[this.focused]?.active ?? null;
  }

  focusedGroup(): number {
    return this.focused;
  }

  holds(path: string): boolean {
    return this.groups.some((g) => g.tabs.includes(path));
  }

  async open(path: string, opts: { preview?: boolean; group?: number } = {}): Promise<void> {
    const gi = Math.min(opts.group ?? this.focused, this.groups.length - 1);
    const g = this.groups[gi]!;
    if (!g.tabs.includes(path)) {
      const old = g.preview;
      if (opts.preview && old !== null && !this.docs.get(old)?.dirty) {
        // Replace the previous preview in place.
        g.tabs[g.tabs.indexOf(old)] = path;
        this.release(old);
      } else {
        const at = g.active ? g.tabs.indexOf(g.active) + 1 : g.tabs.length;
        g.tabs.splice(at, 0, path);
      }
      g.preview = opts.preview ? path : g.preview;
    } else if (!opts.preview && g.preview === path) {
      g.preview = null;
    }
    g.active = path;
    this.focused = gi;
    this.emit();
    await this.docs.open(path);
  }

  pin(path: string): void {
    let changed = false;
    for (const g of this.groups)
      if (g.preview === path) {
        g.preview = null;
        changed = true;
      }
    if (changed) this.emit();
  }

  activate(group: number, path: string): void {
    const g = this.groups[group];
    if (!g?.tabs.includes(path)) return;
    g.active = path;
    this.focused = group;
    this.emit();
  }

  focus(group: number): void {
    if (group < this.groups.length && group !== this.focused) {
      this.focused = group;
      this.emit();
    }
  }

  /** Closes a tab; asks first (returns false) when it is the last view of a dirty file. */
  requestClose(group: number, path: string): boolean {
    const g = this.groups[group];
    if (!g?.tabs.includes(path)) return true;
    const shared = this.groups.some((o, i) => i !== group && o.tabs.includes(path));
    if (!shared && this.docs.get(path)?.dirty) {
      this.pending = { group, path };
      this.emit();
      return false;
    }
    this.remove(group, path);
    return true;
  }

  /** The answer to the unsaved-changes question. A failed save keeps the tab open. */
  async resolveClose(choice: "save" | "discard" | "cancel"): Promise<void> {
    const p = this.pending;
    this.pending = null;
    this.emit();
    if (!p || choice === "cancel") return;
    if (choice === "save") {
      await this.docs.save(p.path);
      if (this.docs.get(p.path)?.dirty) return;
    }
    this.remove(p.group, p.path);
  }

  /** Closes the group's other tabs; clean ones go at once, the first dirty one asks. */
  closeOthers(group: number, keep: string): void {
    const g = this.groups[group];
    if (!g) return;
    for (const p of g.tabs.filter((t) => t !== keep)) if (!this.requestClose(group, p)) break;
  }

  /** Drag-and-drop reorder within a group. */
  move(group: number, path: string, toIndex: number): void {
    const g = this.groups[group];
    const from = g?.tabs.indexOf(path) ?? -1;
    if (!g || from < 0) return;
    g.tabs.splice(from, 1);
    g.tabs.splice(Math.max(0, Math.min(toIndex > from ? toIndex - 1 : toIndex, g.tabs.length)), 0, path);
    this.emit();
  }

  /** Ctrl+\: shows the focused tab in the other group too (creating it), like VS Code's split. */
  async splitActive(): Promise<void> {
    const path = this.activePath();
    if (!path) return;
    const target = this.otherGroup();
    await this.open(path, { group: target });
  }

  /** Moves a tab to the other group; an emptied second group disappears. */
  async moveToOther(group: number, path: string): Promise<void> {
    const target = this.otherGroup(group);
    const t = this.groups[target]!;
    if (!t.tabs.includes(path)) t.tabs.push(path);
    t.active = path;
    this.detach(group, path);
    this.focused = Math.min(target, this.groups.length - 1);
    this.emit();
    await this.docs.open(path);
  }

  /** Tabs follow renamed files (pairs of old and new path from `Documents.rename`). */
  renamed(moved: Array<[string, string]>): void {
    if (moved.length === 0) return;
    const to = new Map(moved);
    const map = (p: string) => to.get(p) ?? p;
    for (const g of this.groups) {
      g.tabs = g.tabs.map(map);
      if (g.active) g.active = map(g.active);
      if (g.preview) g.preview = map(g.preview);
    }
    if (this.pending) this.pending = { ...this.pending, path: map(this.pending.path) };
    this.emit();
  }

  /** Closes every tab of `paths` that has no unsaved edits (the user deleted the files). */
  closeClean(paths: (p: string) => boolean): void {
    for (let gi = this.groups.length - 1; gi >= 0; gi--)
      for (const p of [...(this.groups[gi]?.tabs ?? [])]) if (paths(p) && !this.docs.get(p)?.dirty) this.remove(gi, p);
  }

  save(): SavedGroups {
    return { groups: this.groups.map((g) => ({ tabs: [...g.tabs], active: g.active })), focused: this.focused };
  }

  /** Reopens saved tabs (pinned); files that no longer open are dropped. */
  async restore(saved: SavedGroups): Promise<void> {
    const groups = saved.groups.slice(0, MAX_GROUPS).map((g) => ({ tabs: [...new Set(g.tabs)], active: g.active, preview: null }));
    const kept = groups.filter((g) => g.tabs.length > 0);
    if (kept.length === 0) return;
    for (const g of kept) if (!g.active || !g.tabs.includes(g.active)) g.active = g.tabs[0]!;
    this.groups = kept;
    this.focused = Math.min(Math.max(0, saved.focused), kept.length - 1);
    this.emit();
    const paths = [...new Set(kept.flatMap((g) => g.tabs))];
    await Promise.all(paths.map((p) => this.docs.open(p)));
    // A file deleted since last time is dropped rather than shown as an error tab.
    for (const p of paths) if (this.docs.get(p)?.error?.code === "NotFound") for (let i = this.groups.length - 1; i >= 0; i--) this.remove(i, p);
    const active = this.activePath();
    if (active) this.docs.activate(active);
  }

  private otherGroup(from = this.focused): number {
    if (this.groups.length < MAX_GROUPS) this.groups.push(emptyGroup());
    return from === 0 ? 1 : 0;
  }

  private remove(group: number, path: string): void {
    this.detach(group, path);
    this.release(path);
    this.emit();
  }

  /** Takes a tab out of a group without touching the document. */
  private detach(group: number, path: string): void {
    const g = this.groups[group];
    if (!g) return;
    const i = g.tabs.indexOf(path);
    if (i < 0) return;
    g.tabs.splice(i, 1);
    if (g.preview === path) g.preview = null;
    if (g.active === path) g.active = g.tabs[Math.min(i, g.tabs.length - 1)] ?? null;
    if (g.tabs.length === 0 && this.groups.length > 1) {
      this.groups.splice(group, 1);
      if (this.focused >= group && this.focused > 0) this.focused--;
    }
  }

  /** Closes the document once no group shows it. */
  private release(path: string): void {
    if (!this.holds(path)) this.docs.close(path, true);
  }

  private snapshot(): GroupsView {
    return {
      groups: this.groups.map((g) => ({ ...g, tabs: [...g.tabs] })),
      focused: this.focused,
      pendingClose: this.pending,
    };
  }

  private emit(): void {
    const active = this.activePath();
    if (active) this.docs.activate(active);
    this.view.set(this.snapshot());
  }
}

function emptyGroup(): Group {
  return { tabs: [], active: null, preview: null };
}
