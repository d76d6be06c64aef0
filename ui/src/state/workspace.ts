// The window's top-level state: which screen is shown, the recent projects, and the
// open project's session (tree + documents + live file events).

import type { FsBatch, ProjectInfo, Settings, TemplateInfo } from "../ipc/bindings";
import { toIpcError, type Api, type IpcError } from "../ipc";
import { Documents, type Buffers } from "./documents";
import { writable, type Writable } from "./store";
import { TreeState } from "./tree";

export type WorkspaceApi = Pick<
  Api,
  | "projectListRecent"
  | "projectTemplates"
  | "projectOpen"
  | "projectCreate"
  | "projectClose"
  | "projectForget"
  | "dialogPickFolder"
  | "appStartup"
  | "fsList"
  | "fsRead"
  | "fsWrite"
  | "settingsGet"
>;

/** Builds the editor-side buffers; `onDirty` reports buffer edits back to the documents. */
export type MakeBuffers<B extends Buffers> = (onDirty: (path: string, dirty: boolean) => void) => B;

export class Session<B extends Buffers = Buffers> {
  readonly tree: TreeState;
  readonly docs: Documents;
  readonly buffers: B;
  constructor(
    readonly project: ProjectInfo,
    api: WorkspaceApi,
    makeBuffers: MakeBuffers<B>,
  ) {
    this.tree = new TreeState(api, project.id);
    this.buffers = makeBuffers((path, dirty) => this.docs.setDirty(path, dirty));
    this.docs = new Documents(api, project.id, this.buffers);
  }

  /** Routes a backend batch to the tree and the open files; other projects' batches are ignored. */
  async handleBatch(batch: FsBatch): Promise<void> {
    if (batch.projectId !== this.project.id) return;
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

  constructor(
    private readonly api: WorkspaceApi,
    private readonly makeBuffers: MakeBuffers<B>,
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
    this.booting.set(false);
    await lists;
  }

  /** Opens a folder; throws IpcError for the caller to show inline. */
  async open(path: string): Promise<void> {
    const project = await this.api.projectOpen(path);
    this.enter(project);
  }

  async create(name: string, template: string, location: string): Promise<void> {
    const project = await this.api.projectCreate(name, template, location);
    this.enter(project);
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
    current?.docs.closeAll();
    this.session.set(null);
    // Stops the project's watcher; failing to do so is not the user's problem.
    if (current) await this.api.projectClose(current.project.id).catch(() => {});
    await this.api.projectListRecent().then((r) => this.recent.set(r), () => {});
  }

  private enter(project: ProjectInfo): void {
    this.session.get()?.docs.closeAll();
    const session = new Session(project, this.api, this.makeBuffers);
    this.session.set(session);
    void session.tree.load("");
  }
}
