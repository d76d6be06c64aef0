// Processes and temp files for the e2e run: Xvfb, tauri-driver, a throwaway AURA_HOME
// and project. Everything started here is recorded and torn down by pid in cleanup(),
// which also runs on failure and on Ctrl+C.

import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const started = []; // { name, child, group }
const tempDirs = [];

export function log(...args) {
  console.log(`[e2e ${new Date().toISOString().slice(11, 19)}]`, ...args);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws `what` on timeout. */
export async function waitFor(fn, { timeout = 15000, interval = 200, what = "condition" } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(interval);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ""}`);
}

/** A port the OS just handed out; unique per run so a leftover driver cannot answer us. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1");
    sock.once("connect", () => (sock.destroy(), resolve(true)));
    sock.once("error", () => resolve(false));
  });
}

/**
 * Every live process as `{ pid, comm, fields }` from /proc/PID/stat, `fields[0]` being field
 * 3 of proc(5) (the state). The name is cut at the last ")", since it may hold one itself.
 */
export function processStats() {
  const out = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(")");
    out.push({ pid: Number(name), comm: stat.slice(stat.indexOf("(") + 1, close), fields: stat.slice(close + 2).split(" ") });
  }
  return out;
}

export function makeTempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Starts a child in its own process group so cleanup can stop it and its children. */
export function startProcess(name, cmd, args, { env = process.env, logFile } = {}) {
  const out = logFile ? fs.openSync(logFile, "a") : "ignore";
  const child = spawn(cmd, args, { env, detached: true, stdio: ["ignore", out, out] });
  if (logFile) fs.closeSync(out);
  const rec = { name, child, exited: false };
  child.on("exit", () => (rec.exited = true));
  child.on("error", (e) => {
    rec.exited = true;
    log(`${name} failed to start: ${e.message}`);
  });
  started.push(rec);
  log(`started ${name} (pid ${child.pid})`);
  return rec;
}

/** Uses $DISPLAY if set, otherwise starts Xvfb on a display number nobody holds. */
export async function ensureDisplay(logDir) {
  if (process.env.DISPLAY) return process.env.DISPLAY;
  for (let n = 90 + Math.floor(Math.random() * 400), tries = 0; tries < 50; n++, tries++) {
    if (fs.existsSync(`/tmp/.X${n}-lock`) || fs.existsSync(`/tmp/.X11-unix/X${n}`)) continue;
    const rec = startProcess("Xvfb", "Xvfb", [`:${n}`, "-screen", "0", "1280x800x24", "-nolisten", "tcp"], {
      logFile: path.join(logDir, "xvfb.log"),
    });
    try {
      await waitFor(() => rec.exited || fs.existsSync(`/tmp/.X11-unix/X${n}`), { timeout: 10000, what: `Xvfb :${n}` });
    } catch (e) {
      throw new Error(`Xvfb did not come up: ${e.message}`);
    }
    if (!rec.exited) return `:${n}`;
    log(`Xvfb :${n} exited at once; trying another display`);
  }
  throw new Error("no free X display found");
}

/** Starts tauri-driver on fresh ports and waits until it answers. */
export async function startDriver({ env, logDir }) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const bin = process.env.TAURI_DRIVER ?? findOnPath("tauri-driver") ?? path.join(os.homedir(), ".cargo/bin/tauri-driver");
  const nativeDriver = process.env.AURA_NATIVE_DRIVER ?? "/usr/bin/WebKitWebDriver";
  const rec = startProcess("tauri-driver", bin, ["--port", String(port), "--native-port", String(nativePort), "--native-driver", nativeDriver], {
    env,
    logFile: path.join(logDir, "tauri-driver.log"),
  });
  await waitFor(async () => (rec.exited ? Promise.reject(new Error("tauri-driver exited")) : portOpen(port)), {
    timeout: 15000,
    what: `tauri-driver on port ${port}`,
  });
  return { port, rec };
}

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return p;
  }
  return null;
}

/** Stops every process started here (newest first) and removes temp dirs. Idempotent. */
export async function cleanup() {
  for (const rec of started.splice(0).reverse()) {
    if (rec.exited) continue;
    signalGroup(rec, "SIGTERM");
    const deadline = Date.now() + 3000;
    while (!rec.exited && Date.now() < deadline) await sleep(50);
    if (!rec.exited) signalGroup(rec, "SIGKILL");
  }
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

function signalGroup(rec, sig) {
  try {
    // Negative pid: the group we created with `detached`, i.e. the driver and the app it launched.
    process.kill(-rec.child.pid, sig);
  } catch {
    try {
      process.kill(rec.child.pid, sig);
    } catch {
      /* already gone */
    }
  }
}

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    log(`${sig}: cleaning up`);
    await cleanup();
    process.exit(130);
  });
}
