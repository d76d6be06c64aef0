// The window's top-level state: which screen is shown, the recent projects, and the
// open project's session (tree + documents + live file events).

import type { FsBatch, ProjectInfo, Settings, SettingsSaved, TemplateInfo } from "../ipc/bindings";
import { toIpcError, type Api, type IpcError } from "../ipc";
import { Documents, type Buffers } from "./documents";
import { writable, type Writable } from "./store";
import { TreeState } from "./tree";
import { EditorGroups } from "./groups";
import { defaultLayout, type Layout } from "./layout";
import { AutoSaver } from "./autosave";
import { SessionSaver, parseSession, serializeSession } from "./persist";
import { QuickOpen } from "./quickopen";
import { Notifier } from "./notify";
import { optionalApi } from "../ipc/optional";
import { isWithin } from "./paths";
import { SETTINGS_DOC, withSettingsDoc } from "./settingsdoc";

export type WorkspaceApi = Pick<
  Api,
  | "projectListRecent"
  | "projectTemplates"
  | "projectOpen"
  | "projectCreate"
  | "projectClose"
  | "projectForget"
  | "dialogPickFolder"
  | "dialogPickFile"
  | "projectImport"
  | "appStartup"
  | "fsList"
  | "fsRead"
  | "fsWrite"
  | "settingsGet"
  | "sessionLoad"
  | "sessionSave"
  | "recentFiles"
  | "settingsFileRead"
  | "settingsFileWrite"
>;

/** Builds the editor-side buffers; `onDirty` reports buffer edits back to the documents. */
export type MakeBuffers<B extends Buffers> = (onDirty: (path: string, dirty: boolean) => void) => B;

export class Session<B extends Buffers = Buffers> {
  readonly tree: TreeState;
  readonly docs: Documents;
  readonly buffers: B;
  readonly groups: EditorGroups;
  readonly layout: Writable<Layout> = writable(defaultLayout());
  readonly autosave: AutoSaver;
  readonly quick: QuickOpen;
  readonly saver: SessionSaver;
  /** Settles when the saved layout and tabs are back (see `restore`). */
  restoring: Promise<void> = Promise.resolve();
  private unsubs: Array<() => void> = [];

  constructor(
    readonly project: ProjectInfo,
    private readonly api: WorkspaceApi,
    makeBuffers: MakeBuffers<B>,
    settings: () => Settings | null = () => null,
    /** settings.toml was saved from its tab (the new settings apply at once). */
    onSettingsSaved: (s: SettingsSaved) => void = () => {},
  ) {
    this.tree = new TreeState(api, project.id);
    this.buffers = makeBuffers((path, dirty) => {
      this.docs.setDirty(path, dirty);
      if (dirty) this.autosave.edited(path);
    });
    this.docs = new Documents(withSettingsDoc(api, api, onSettingsSaved), project.id, this.buffers);
    this.groups = new EditorGroups(this.docs);
    this.autosave = new AutoSaver(
      (p) => this.docs.save(p),
      () => this.docs.changes.get().docs.filter((d) => d.dirty && !d.readOnly).map((d) => d.path),
      () => ({ mode: settings()?.editor.auto_save ?? "after_delay", delayMs: settings()?.editor.auto_save_delay_ms ?? 1000 }),
    );
    this.quick = new QuickOpen({ ...api, searchFiles: optionalApi(api).searchFiles }, project.id);
    this.saver = new SessionSaver(api, project.id, () => serializeSession(this.layout.get(), this.groups.save()));
  }

  /** Restores the saved layout and tabs, then saves whenever either changes. */
  async restore(): Promise<void> {
    const saved = parseSession(await this.api.sessionLoad(this.project.id).catch(() => null));
    this.layout.set(saved.layout);
    await this.groups.restore(saved.editor);
    let first = true;
    const changed = () => (first ? undefined : this.saver.changed());
    this.unsubs.push(this.layout.subscribe(changed), this.groups.changes.subscribe(changed));
    first = false;
  }

  /** Runs `stop` when the session ends. */
  onDispose(stop: () => void): void {
    this.unsubs.push(stop);
  }

  /** Writes the session now and stops listening (the project is closing). */
  async dispose(): Promise<void> {
    for (const u of this.unsubs.splice(0)) u();
    this.autosave.dispose();
    await this.saver.flush();
  }

  /** A file or folder was renamed or moved (by us or on disk): its tabs follow it. */
  renamed(from: string, to: string): void {
    const moved = this.docs.rename(from, to);
    this.groups.renamed(moved);
    for (const [a, b] of moved) this.autosave.renamed(a, b);
  }

  /** The user deleted `path` in the explorer: its clean tabs close, dirty ones stay (marked deleted). */
  deleted(path: string): void {
    this.groups.closeClean((p) => isWithin(p, path));
  }

  /** Routes a backend batch to the tree and the open files; other projects' batches are ignored. */
  async handleBatch(batch: FsBatch): Promise<void> {
    if (batch.projectId !== this.project.id) return;
    if (batch.events.some((e) => e.kind.type !== "Modified")) this.quick.invalidate();
    for (const e of batch.events) if (e.kind.type === "Renamed") this.renamed(e.kind.from, e.path);
    await Promise.all([this.tree.applyEvents(batch.events), this.docs.applyEvents(batch.events)]);
  }
}

export class Workspace<B extends Buffers = Buffers> {
  readonly session: Writable<Session<B> | null> = writable(null);
  readonly recent: Writable<ProjectInfo[]> = writable([]);
  readonly templates: Writable<TemplateInfo[]> = writable([]);
  readonly settings: Writable<Settings | null> = writable(null);
  /** True until the first screen is decided (welcome, or a folder from the command line). */
  readonly booting: Writable<boolean> = writable(true);
  /** A start-up failure (e.g. the recent list could not be read), shown on the welcome screen. */
  readonly startupError: Writable<IpcError | null> = writable(null);
  /** Toasts, their history and progress, for the whole window. */
  readonly notifier = new Notifier();

  /**
   * `warmEditor` starts loading the editor's code; it is called as a project starts to
   * open, so that load overlaps the backend opening the project and the project view
   * being built, instead of waiting for the first editor to mount.
   */
  constructor(
    private readonly api: WorkspaceApi,
    private readonly makeBuffers: MakeBuffers<B>,
    private readonly warmEditor: () => void = () => {},
  ) {}

  /**
   * Loads what the welcome screen needs (each part fails on its own), then opens the
   * folder given on the command line, if any.
   */
  async init(): Promise<void> {
    const fail = (e: unknown) => this.startupError.set(toIpcError(e));
    const lists = Promise.all([
      this.api.projectListRecent().then((r) => this.recent.set(r), fail),
      this.api.projectTemplates().then((t) => this.templates.set(t), fail),
      this.api.settingsGet().then((s) => this.settings.set(s), fail),
    ]);
    // Decide the first screen before showing any, so `aura-desktop FOLDER` does not
    // flash the welcome screen.
    const startup = await this.api.appStartup().catch((e: unknown) => (fail(e), null));
    if (startup?.openPath) await this.open(startup.openPath).catch(fail);
    // `aura-desktop FOLDER FILE`: the file opens after the saved tabs are back.
    const s = this.session.get();
    if (s && startup?.openFile) void s.restoring.then(() => s.groups.open(startup.openFile!));
    this.booting.set(false);
    await lists;
  }

  /** Opens a folder; throws IpcError for the caller to show inline. */
  async open(path: string): Promise<void> {
    await this.opening(() => this.api.projectOpen(path));
  }

  async create(name: string, template: string, location: string): Promise<void> {
    await this.opening(() => this.api.projectCreate(name, template, location));
  }

  /** Unpacks an archive (zip, tar, tar.gz) into `location` and opens it as a project. */
  async importArchive(archive: string, location: string, name: string | null): Promise<void> {
    await this.opening(() => this.api.projectImport(archive, location, name));
  }

  /** Every way into a project: the editor's code starts loading before the backend is asked. */
  private async opening(request: () => Promise<ProjectInfo>): Promise<void> {
    this.warmEditor();
    this.enter(await request());
  }

  async pickFile(): Promise<string | null> {
    return this.api.dialogPickFile();
  }

  async pickFolder(): Promise<string | null> {
    return this.api.dialogPickFolder();
  }

  async forget(id: string): Promise<void> {
    await this.api.projectForget(id);
    this.recent.update((list) => list.filter((p) => p.id !== id));
  }

  /** Back to the welcome screen, with a fresh recent list. */
  async close(): Promise<void> {
    const current = this.session.get();
    await current?.dispose();
    current?.docs.closeAll();
    this.session.set(null);
    // Stops the project's watcher; failing to do so is not the user's problem.
    if (current) await this.api.projectClose(current.project.id).catch(() => {});
    await this.api.projectListRecent().then((r) => this.recent.set(r), () => {});
  }

  private enter(project: ProjectInfo): void {
    const prev = this.session.get();
    void prev?.dispose();
    prev?.docs.closeAll();
    const session = new Session(project, this.api, this.makeBuffers, () => this.settings.get(), (saved) => {
      this.settings.set(saved.settings);
      for (const w of saved.warnings) this.notifier.notify("warning", w);
    });
    // Settings saved elsewhere (the form) reach an open settings.toml tab like an
    // external change: a clean tab reloads, a dirty one gets the conflict bar.
    session.onDispose(
      this.settings.subscribe(() => {
        if (session.docs.get(SETTINGS_DOC)) void session.docs.applyEvents([{ path: SETTINGS_DOC, kind: { type: "Modified" } }]);
      }),
    );
    this.session.set(session);
    void session.tree.load("");
    session.restoring = session.restore().catch(() => {});
  }
}
