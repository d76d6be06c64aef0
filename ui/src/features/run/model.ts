// The Run panel's state: the current run's command, stdout and stderr apart, its outcome
// (exit code, wall time, peak memory), Stop, the sandbox consent step, and the project's
// run configurations. Framework-free; the backend and channel are passed in.

import { Channel } from "@tauri-apps/api/core";
import type { Api } from "../../ipc";
import { isCode, toIpcError } from "../../ipc";
import type { Outcome, ProjectExec, RunConfiguration, RunEvent, RunTarget } from "../../ipc/bindings";
import { setLastError } from "../../state/lasterror";
import { writable, type Writable } from "../../state/store";

export type RunBackend = Pick<Api, "runStart" | "runStop" | "execSettingsGet" | "execSettingsSet">;

export interface RunState {
  id: string | null;
  /** What is shown as the run's title: the command line. */
  command: string;
  sandbox: string;
  stdout: string;
  stderr: string;
  outcome: Outcome | null;
  running: boolean;
  error: string | null;
  /** The sandbox is partial here: run anyway only if the user says so. */
  consent: { message: string; target: RunTarget } | null;
}

const EMPTY: RunState = { id: null, command: "", sandbox: "", stdout: "", stderr: "", outcome: null, running: false, error: null, consent: null };

/** Each stream keeps its last 2 MB; a run that prints more loses its oldest output. */
export const MAX_STREAM = 2 * 1024 * 1024;

function append(buf: string, text: string): string {
  const all = buf + text;
  return all.length > MAX_STREAM ? all.slice(all.length - MAX_STREAM) : all;
}

export function formatBytes(kb: number): string {
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(2)} GB`;
  if (kb >= 1024) return `${(kb / 1024).toFixed(1)} MB`;
  return `${Math.round(kb)} KB`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/** "exit 3", "killed (signal 9) after Stop", "killed (signal 9) at the time limit". */
export function describeOutcome(o: Outcome): string {
  const how = o.exitCode !== null ? `exit ${o.exitCode}` : o.signal !== null ? `killed (signal ${o.signal})` : "ended";
  const why = o.stopped ? " after Stop" : o.timedOut ? " at the time limit" : "";
  return how + why;
}

export interface ChannelLike<T> {
  onmessage: (m: T) => void;
}

export class RunModel {
  readonly state: Writable<RunState> = writable({ ...EMPTY });
  readonly configs: Writable<RunConfiguration[]> = writable([]);
  private exec: ProjectExec | null = null;
  private generation = 0;
  private readonly backend: RunBackend;
  private readonly projectId: string;
  private readonly makeChannel: <T>() => ChannelLike<T>;

  constructor(backend: RunBackend, projectId: string, makeChannel?: <T>() => ChannelLike<T>) {
    this.backend = backend;
    this.projectId = projectId;
    this.makeChannel = makeChannel ?? (<T,>() => new Channel<T>() as unknown as ChannelLike<T>);
  }

  /** Starts a run (stopping the one still going); asks first if the sandbox is partial. */
  async start(target: RunTarget, mode: "require" | "allowPartial" | "off" = "require"): Promise<void> {
    const cur = this.state.get();
    if (cur.running && cur.id) await this.backend.runStop(cur.id).catch(() => {});
    const gen = ++this.generation;
    const channel = this.makeChannel<RunEvent>();
    const title = target.kind === "file" ? target.path : target.kind === "configuration" ? target.name : `selection (${target.language})`;
    this.state.set({ ...EMPTY, command: title, running: true });
    channel.onmessage = (ev) => {
      if (gen !== this.generation) return;
      if (ev.kind === "output") {
        this.state.update((s) => (ev.stream === "stdout" ? { ...s, stdout: append(s.stdout, ev.text) } : { ...s, stderr: append(s.stderr, ev.text) }));
      } else {
        this.state.update((s) => ({ ...s, outcome: ev.outcome, running: false }));
        const s = this.state.get();
        // A failed run (not one the user stopped) is what "AI: Fix Error" works from.
        if ((ev.outcome.exitCode ?? 1) !== 0 && !ev.outcome.stopped) {
          setLastError(`${s.command} ended with ${describeOutcome(ev.outcome)}\n${s.stderr || s.stdout}`);
        }
      }
    };
    try {
      const info = await this.backend.runStart(this.projectId, { target, mode, allowNet: null, timeoutSecs: null, memMb: null, stdin: null }, channel as never);
      if (gen !== this.generation) return;
      this.state.update((s) => ({ ...s, id: info.id, command: info.command, sandbox: info.sandbox }));
    } catch (e) {
      if (gen !== this.generation) return;
      const err = toIpcError(e);
      if (mode === "require" && isCode(err, "SandboxUnavailable")) this.state.set({ ...EMPTY, command: title, consent: { message: err.message, target } });
      else this.state.set({ ...EMPTY, command: title, error: `${err.code}: ${err.message}` });
    }
  }

  /** The user agreed to run with the layers this machine has. */
  async runPartial(): Promise<void> {
    const c = this.state.get().consent;
    if (c) await this.start(c.target, "allowPartial");
  }

  dismiss(): void {
    this.state.update((s) => ({ ...s, consent: null, error: null }));
  }

  async stop(): Promise<void> {
    const s = this.state.get();
    if (s.running && s.id) await this.backend.runStop(s.id).catch(() => {});
  }

  async loadConfigs(): Promise<void> {
    try {
      this.exec = await this.backend.execSettingsGet(this.projectId);
      this.configs.set(this.exec.configurations);
    } catch (e) {
      const err = toIpcError(e);
      this.state.update((s) => ({ ...s, error: `${err.code}: ${err.message}` }));
    }
  }

  /** Adds or replaces a configuration by name; the backend validates it. */
  async saveConfig(c: RunConfiguration): Promise<void> {
    if (!this.exec) await this.loadConfigs();
    const base = this.exec ?? { allowNet: false, commands: {}, configurations: [] };
    const configurations = [...base.configurations.filter((x) => x.name !== c.name), c];
    this.exec = await this.backend.execSettingsSet(this.projectId, { ...base, configurations });
    this.configs.set(this.exec.configurations);
  }

  async removeConfig(name: string): Promise<void> {
    if (!this.exec) return;
    this.exec = await this.backend.execSettingsSet(this.projectId, { ...this.exec, configurations: this.exec.configurations.filter((x) => x.name !== name) });
    this.configs.set(this.exec.configurations);
  }
}

const models = new Map<string, RunModel>();

export function runModelFor(backend: RunBackend, projectId: string): RunModel {
  let m = models.get(projectId);
  if (!m) {
    m = new RunModel(backend, projectId);
    models.set(projectId, m);
  }
  return m;
}
