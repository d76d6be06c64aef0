#!/usr/bin/env node
// PTY output all the way to xterm.js in the real window: opens a terminal in the app
// (WebDriver under Xvfb, as the e2e tests do), runs a command there and times Enter until
// the marker printed after it is on screen (both seen in the page; median of three runs).
// Prints MB/s next to the raw PTY figure
// passed in (from the Rust bench, same command, same machine, same run). Then the ceiling:
// xterm.js alone in the same page and JavaScript engine on bytes of the same shape, with
// no PTY and no IPC, once as a bare parser (terminal not opened) and once opened and
// rendering as the app sets it up. The window cannot beat the parser alone.
//   node scripts/bench/exec-window.mjs APP_BIN RAW_SEQ_MBPS [BIG_FILE RAW_CAT_MBPS]

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const e2e = path.resolve(here, "../../tests/e2e");
const harness = await import(pathToFileURL(path.join(e2e, "harness.mjs")).href);
const { remote } = await import(pathToFileURL(createRequire(path.join(e2e, "package.json")).resolve("webdriverio")).href);

const [bin, rawSeq, big, rawCat] = process.argv.slice(2);
const xtermLib = fs.readFileSync(path.resolve(here, "../../ui/node_modules/@xterm/xterm/lib/xterm.js"), "utf8");
const home = harness.makeTempDir("aura-bench-home-");
const project = path.join(harness.makeTempDir("aura-bench-proj-"), "bench");
fs.mkdirSync(project, { recursive: true });
fs.writeFileSync(path.join(project, "hello.txt"), "hello\n");
const logDir = harness.makeTempDir("aura-bench-logs-");
const xdg = harness.makeTempDir("aura-bench-xdg-");

const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/**
 * CPU ticks of every process on the machine: its own time, and apart the time of children
 * it reaped (how `seq` or `cat` shows up once the shell has waited for it). Taken around
 * each window run, it says where the time went: a busy page means xterm.js is the limit,
 * an idle one means the bytes were waiting somewhere on the way.
 */
function cpuTicks() {
  // Fields 14-17 of proc(5): utime stime cutime cstime; 22: start time (fields[0] is field 3).
  return new Map(
    harness.processStats().map(({ pid, comm, fields: f }) => [
      pid,
      { comm, start: f[19], own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) },
    ]),
  );
}

/** Share of one core per process name between two `cpuTicks`, largest first. */
function cpuSplit(before, after, secs) {
  const by = new Map();
  const add = (name, d) => d > 0 && by.set(name, (by.get(name) ?? 0) + d);
  for (const [pid, now] of after) {
    const then = before.get(pid);
    // A reused pid is a new process; the name is no test (kernel workers rename as they go).
    const same = then && then.start === now.start;
    // Kernel workers carry their current job in the name: one line for all of them.
    const comm = now.comm.startsWith("kworker/") ? "kworker" : now.comm;
    add(comm, now.own - (same ? then.own : 0));
    add(`children of ${comm}`, now.reaped - (same ? then.reaped : 0));
  }
  return [...by]
    .map(([name, d]) => [name, (100 * d) / CLK_TCK / secs])
    .filter(([, pct]) => pct >= 3)
    .sort((a, b) => b[1] - a[1])
    .map(([name, pct]) => `${name} ${pct.toFixed(0)}%`)
    .join(", ");
}

/** xterm.js alone in the page (see the top): median of three runs per case. */
async function ceiling(browser, bigSize, rawSeq, rawCat) {
  await browser.setTimeout({ script: 280000 });
  // The library as the app bundles it (same package, same version), loaded beside the app.
  await browser.execute(`const module = { exports: {} }; (function (module, exports) {\n${xtermLib}\n})(module, module.exports); window.__benchTerminal = module.exports.Terminal;`);
  const run = (kind, open, lineLen, lineCount) =>
    browser.executeAsync(
      async (kind, open, lineLen, lineCount, done) => {
        try {
          // The bytes as the PTY delivers them: seq's numbers, or base64 text lines like the
          // file `cat` reads; both with the terminal's CR LF.
          const key = `${kind}:${lineLen}:${lineCount}`;
          if (window.__benchKey !== key) {
            if (kind === "seq") {
              const parts = [];
              for (let i = 1; i <= lineCount; i++) parts.push(i + "\r\n");
              window.__benchData = new TextEncoder().encode(parts.join(""));
            } else {
              const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
              const d = new Uint8Array(lineCount * (lineLen + 2));
              let x = 12345, o = 0;
              for (let l = 0; l < lineCount; l++) {
                for (let c = 0; c < lineLen; c++) {
                  x = (x * 1103515245 + 12345) >>> 0;
                  d[o++] = b64.charCodeAt(x >>> 26);
                }
                d[o++] = 13;
                d[o++] = 10;
              }
              window.__benchData = d;
            }
            window.__benchKey = key;
          }
          const data = window.__benchData;
          const host = document.querySelector('[data-testid="terminal-host"]');
          const term = new window.__benchTerminal({ scrollback: 1000, cols: 120, rows: 30 });
          let box = null;
          if (open) {
            box = document.createElement("div");
            box.style.cssText = `position:fixed;left:0;bottom:0;width:${host.clientWidth}px;height:${host.clientHeight}px;z-index:9999;background:#000`;
            document.body.appendChild(box);
            term.open(box);
            // As the app does (ui/src/features/terminal/viewport.ts): one scroll-area sync per frame.
            const v = term._core?._viewport;
            if (v && typeof v._sync === "function") {
              const orig = v._sync.bind(v);
              let queued = false;
              v._sync = (...a) => {
                if (a.length) return orig(...a);
                if (!queued) {
                  queued = true;
                  requestAnimationFrame(() => ((queued = false), orig()));
                }
              };
            }
          }
          await new Promise((r) => term.write("ready\r\n", r));
          const t0 = performance.now();
          // 1 MiB writes with at most 8 MiB unparsed, like the app's flow control.
          let inflight = 0;
          let wake = null;
          const step = 1 << 20;
          for (let off = 0; off < data.length; off += step) {
            while (inflight >= 8 << 20) await new Promise((r) => (wake = r));
            const n = Math.min(step, data.length - off);
            inflight += n;
            term.write(data.subarray(off, off + n), () => {
              inflight -= n;
              if (wake) wake(), (wake = null);
            });
          }
          while (inflight > 0) await new Promise((r) => (wake = r));
          await new Promise((r) => requestAnimationFrame(() => r()));
          const secs = (performance.now() - t0) / 1000;
          term.dispose();
          box?.remove();
          done({ bytes: data.length, secs });
        } catch (e) {
          done({ error: String(e) });
        }
      },
      kind,
      open,
      lineLen,
      lineCount,
    );
  const cases = [["seq 1 2000000", "seq", 0, 2000000, rawSeq]];
  if (bigSize) cases.push(["cat 50 MB file", "cat", 100, Math.round(bigSize / 101), rawCat]);
  for (const [name, kind, lineLen, lineCount, raw] of cases) {
    for (const open of [false, true]) {
      const rates = [];
      let bytes = 0;
      for (let i = 0; i < 3; i++) {
        const r = await run(kind, open, lineLen, lineCount);
        if (r.error) throw new Error(`xterm alone: ${r.error}`);
        bytes = r.bytes;
        rates.push(r.bytes / r.secs / 1e6);
      }
      const mbps = rates.sort((a, b) => a - b)[1];
      const what = open ? "open terminal" : "parser alone";
      const ratio = raw ? ` = ${((100 * mbps) / Number(raw)).toFixed(0)}% of the raw PTY read` : "";
      console.log(`xterm.js alone ${name.padEnd(15)} ${(bytes / 1e6).toFixed(1)} MB, ${what.padEnd(13)}: ${mbps.toFixed(1)} MB/s${ratio} (no PTY, no IPC: the ceiling)`);
    }
  }
}

try {
  const display = await harness.ensureDisplay(logDir);
  const env = { ...process.env, DISPLAY: display, AURA_HOME: home, XDG_CONFIG_HOME: path.join(xdg, "c"), XDG_DATA_HOME: path.join(xdg, "d"), XDG_CACHE_HOME: path.join(xdg, "k") };
  const driver = await harness.startDriver({ env, logDir });
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driver.port,
    logLevel: "error",
    connectionRetryTimeout: 300000,
    capabilities: { "tauri:options": { application: bin }, "wdio:enforceWebDriverClassic": true },
  });
  const $ = async (s) => {
    const el = await browser.$(s);
    await el.waitForDisplayed({ timeout: 60000 });
    return el;
  };
  await (await $('[data-testid="open-path-input"]')).setValue(project);
  await (await $('[data-testid="open-path-button"]')).click();
  await $('[data-testid="tree-item"][data-path="hello.txt"]');
  if (!(await (await browser.$('[data-testid="panel"]')).isExisting())) await browser.keys(["Control", "j"]);
  await (await $('[data-testid="panel-tab-terminal"]')).click();
  await $('[data-testid="terminal-tab"]');
  await (await $('[data-testid="terminal-host"]')).click();

  const typed = async (text) => {
    for (const ch of text) await browser.keys(ch);
  };
  // Time from Enter reaching the page (its keydown, as the raw figure starts at spawn) to
  // the marker on screen, both taken in the page: WebDriver's own round trips (tens of ms
  // to deliver the key and to return) belong to the harness, not to the terminal. The
  // harness-side time is kept beside it.
  async function timed(cmd, marker) {
    await typed(`clear; ${cmd}; echo ${marker}-$((1+1))`);
    await browser.execute(() => {
      window.__auraEnterAt = 0;
      const onKey = (e) => {
        if (e.key !== "Enter") return;
        window.__auraEnterAt = performance.now();
        window.removeEventListener("keydown", onKey, true);
      };
      window.addEventListener("keydown", onKey, true);
    });
    const cpu0 = cpuTicks();
    const t0 = Date.now();
    await browser.keys("Enter");
    const pageMs = await browser.executeAsync((m, done) => {
      const term = document.querySelector('[data-testid="terminal-host"] .xterm-rows');
      const tick = () =>
        (term?.textContent ?? "").includes(m) && window.__auraEnterAt > 0
          ? done(performance.now() - window.__auraEnterAt)
          : requestAnimationFrame(tick);
      tick();
    }, `${marker}-2`);
    const harnessSecs = (Date.now() - t0) / 1000;
    return { secs: pageMs / 1000, harnessSecs, cpu: cpuSplit(cpu0, cpuTicks(), harnessSecs) };
  }
  const report = (name, bytes, runs, raw) => {
    const { secs, harnessSecs, cpu } = runs.sort((a, b) => a.secs - b.secs)[Math.floor(runs.length / 2)];
    const mbps = bytes / secs / 1e6;
    const ratio = raw ? ` = ${((100 * mbps) / Number(raw)).toFixed(0)}% of the raw PTY read (${Number(raw).toFixed(1)} MB/s); goal >= 80%` : "";
    const all = runs.map((r) => (bytes / r.secs / 1e6).toFixed(1)).join(", ");
    console.log(`window ${name.padEnd(20)} ${(bytes / 1e6).toFixed(1)} MB in ${secs.toFixed(2)} s: ${mbps.toFixed(1)} MB/s to xterm${ratio}`);
    console.log(`  median of ${runs.length} (${all} MB/s); Enter to marker seen from WebDriver: ${harnessSecs.toFixed(2)} s`);
    console.log(`  cpu (100% = one core): ${cpu}`);
  };
  // seq's output on a terminal: the numbers plus CR LF per line.
  let seqBytes = 0;
  for (let i = 1; i <= 2000000; i++) seqBytes += String(i).length + 2;
  await timed("true", "warm");
  const seqRuns = [];
  for (let i = 0; i < 3; i++) seqRuns.push(await timed("seq 1 2000000", `seqdone${i}`));
  report("seq 1 2000000", seqBytes, seqRuns, rawSeq);
  if (big) {
    const size = fs.statSync(big).size;
    const lines = fs.readFileSync(big, "utf8").split("\n").length - 1;
    const catRuns = [];
    for (let i = 0; i < 3; i++) catRuns.push(await timed(`cat ${big}`, `catdone${i}`));
    report("cat 50 MB file", size + lines, catRuns, rawCat);
  }
  await ceiling(browser, big ? fs.statSync(big).size : 0, rawSeq, rawCat);
  await browser.deleteSession();
} finally {
  await harness.cleanup();
  for (const d of [home, xdg, logDir, path.dirname(project)]) fs.rmSync(d, { recursive: true, force: true });
}
