import { describe, expect, it } from "vitest";
import { IpcError } from "../../ipc";
import type { ProjectExec, RunEvent, RunRequest } from "../../ipc/bindings";
import { MAX_STREAM, RunModel, describeOutcome, formatBytes, formatMs, type ChannelLike, type RunBackend } from "./model";

function setup(opts: { partial?: boolean } = {}) {
  const requests: RunRequest[] = [];
  const stops: string[] = [];
  let channel: ChannelLike<RunEvent> | null = null;
  let exec: ProjectExec = { allowNet: false, commands: {}, configurations: [] };
  const backend: RunBackend = {
    async runStart(_p: string, req: RunRequest, ch: unknown) {
      requests.push(req);
      if (opts.partial && req.mode === "require") throw new IpcError("SandboxUnavailable", "Partial: seccomp (no Landlock)");
      channel = ch as ChannelLike<RunEvent>;
      return { id: `r${requests.length}`, command: "python3 -u /p/a.py", cwd: "", sandbox: "Sandbox: Landlock 7 + seccomp + bwrap" };
    },
    async runStop(id: string) {
      stops.push(id);
      return null;
    },
    async execSettingsGet() {
      return exec;
    },
    async execSettingsSet(_p: string, e: ProjectExec) {
      exec = e;
      return e;
    },
  };
  const m = new RunModel(backend, "p", <T,>() => ({ onmessage: (_: T) => {} }));
  return { m, requests, stops, ch: () => channel! };
}

const outcome = { exitCode: 3, signal: null, wallMs: 12.5, peakRssKb: 20480, timedOut: false, stopped: false };

describe("RunModel", () => {
  it("keeps stdout and stderr apart and ends with the outcome", async () => {
    const { m, ch } = setup();
    await m.start({ kind: "file", path: "a.py" });
    expect(m.state.get()).toMatchObject({ id: "r1", running: true, command: "python3 -u /p/a.py", sandbox: "Sandbox: Landlock 7 + seccomp + bwrap" });
    ch().onmessage({ kind: "output", stream: "stdout", text: "out\n" });
    ch().onmessage({ kind: "output", stream: "stderr", text: "err\n" });
    ch().onmessage({ kind: "exit", outcome });
    expect(m.state.get()).toMatchObject({ stdout: "out\n", stderr: "err\n", running: false, outcome });
  });

  it("asks before a partial sandbox and never runs without consent", async () => {
    const { m, requests } = setup({ partial: true });
    await m.start({ kind: "file", path: "a.py" });
    expect(m.state.get().consent?.message).toContain("no Landlock");
    expect(m.state.get().running).toBe(false);
    await m.runPartial();
    expect(requests.map((r) => r.mode)).toEqual(["require", "allowPartial"]);
    expect(m.state.get().running).toBe(true);
  });

  it("stop goes to the backend, and a new run stops the old one and ignores its output", async () => {
    const { m, stops, ch } = setup();
    await m.start({ kind: "file", path: "a.py" });
    const old = ch();
    await m.stop();
    expect(stops).toEqual(["r1"]);
    await m.start({ kind: "configuration", name: "tests" });
    expect(stops).toEqual(["r1", "r1"]);
    old.onmessage({ kind: "output", stream: "stdout", text: "late" });
    expect(m.state.get().stdout).toBe("");
  });

  it("saves configurations through the backend", async () => {
    const { m } = setup();
    await m.saveConfig({ name: "tests", command: "make test", cwd: "", sandbox: true });
    await m.saveConfig({ name: "tests", command: "make check", cwd: "", sandbox: true });
    expect(m.configs.get()).toEqual([{ name: "tests", command: "make check", cwd: "", sandbox: true }]);
    await m.removeConfig("tests");
    expect(m.configs.get()).toEqual([]);
  });

  it("caps each stream", async () => {
    const { m, ch } = setup();
    await m.start({ kind: "file", path: "a.py" });
    ch().onmessage({ kind: "output", stream: "stdout", text: "x".repeat(MAX_STREAM) });
    ch().onmessage({ kind: "output", stream: "stdout", text: "END" });
    expect(m.state.get().stdout.length).toBe(MAX_STREAM);
    expect(m.state.get().stdout.endsWith("END")).toBe(true);
  });
});

describe("formatting", () => {
  it("says how a run ended", () => {
    expect(describeOutcome(outcome)).toBe("exit 3");
    expect(describeOutcome({ ...outcome, exitCode: null, signal: 9, stopped: true })).toBe("killed (signal 9) after Stop");
    expect(describeOutcome({ ...outcome, exitCode: null, signal: 9, timedOut: true })).toBe("killed (signal 9) at the time limit");
    expect(formatBytes(20480)).toBe("20.0 MB");
    expect(formatBytes(512)).toBe("512 KB");
    expect(formatMs(12.54)).toBe("12.5 ms");
    expect(formatMs(1500)).toBe("1.50 s");
  });
});

describe("RunModel and Fix Error", () => {
  it("a failed run leaves its error output for Fix Error; a clean or stopped run does not", async () => {
    const { getLastError, setLastError } = await import("../../state/lasterror");
    setLastError("");
    const { m, ch } = setup();
    await m.start({ kind: "file", path: "a.py" });
    ch().onmessage({ kind: "output", stream: "stderr", text: "Traceback\nZeroDivisionError: division by zero\n" });
    ch().onmessage({ kind: "exit", outcome });
    expect(getLastError()).toContain("exit 3");
    expect(getLastError()).toContain("ZeroDivisionError: division by zero");

    setLastError("");
    await m.start({ kind: "file", path: "b.py" });
    ch().onmessage({ kind: "exit", outcome: { ...outcome, exitCode: 0 } });
    expect(getLastError()).toBe("");
    await m.start({ kind: "file", path: "c.py" });
    ch().onmessage({ kind: "exit", outcome: { ...outcome, exitCode: null, signal: 9, stopped: true } });
    expect(getLastError()).toBe("");
  });
});
