#!/usr/bin/env node
// PTY output all the way to xterm.js in the real window: opens a terminal in the app
// (WebDriver under Xvfb, as the e2e tests do), runs a command there and times Enter until
// xterm has parsed the marker printed after it. Prints MB/s next to the raw PTY figure
// passed in (from the Rust bench, same command, same machine, same run).
//   node scripts/bench/exec-window.mjs APP_BIN RAW_SEQ_MBPS [BIG_FILE RAW_CAT_MBPS]

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const e2e = path.resolve(here, "../../tests/e2e");
const harness = await import(pathToFileURL(path.join(e2e, "harness.mjs")).href);
const { remote } = await import(pathToFileURL(createRequire(path.join(e2e, "package.json")).resolve("webdriverio")).href);

const [bin, rawSeq, big, rawCat] = process.argv.slice(2);
const home = harness.makeTempDir("aura-bench-home-");
const project = path.join(harness.makeTempDir("aura-bench-proj-"), "bench");
fs.mkdirSync(project, { recursive: true });
fs.writeFileSync(path.join(project, "hello.txt"), "hello\n");
const logDir = harness.makeTempDir("aura-bench-logs-");
const xdg = harness.makeTempDir("aura-bench-xdg-");

try {
  const display = await harness.ensureDisplay(logDir);
  const env = { ...process.env, DISPLAY: display, AURA_HOME: home, XDG_CONFIG_HOME: path.join(xdg, "c"), XDG_DATA_HOME: path.join(xdg, "d"), XDG_CACHE_HOME: path.join(xdg, "k") };
  const driver = await harness.startDriver({ env, logDir });
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driver.port,
    logLevel: "error",
    connectionRetryTimeout: 60000,
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
  // Time from Enter to the marker in xterm's buffer (the page polls every frame).
  async function timed(cmd, marker) {
    await typed(`clear; ${cmd}; echo ${marker}-$((1+1))`);
    const t0 = Date.now();
    await browser.keys("Enter");
    await browser.executeAsync((m, done) => {
      const term = document.querySelector('[data-testid="terminal-host"] .xterm-rows');
      const tick = () => ((term?.textContent ?? "").includes(m) ? done() : requestAnimationFrame(tick));
      tick();
    }, `${marker}-2`);
    return (Date.now() - t0) / 1000;
  }
  const report = (name, bytes, secs, raw) => {
    const mbps = bytes / secs / 1e6;
    const ratio = raw ? ` = ${((100 * mbps) / Number(raw)).toFixed(0)}% of the raw PTY read (${Number(raw).toFixed(1)} MB/s); goal >= 80%` : "";
    console.log(`window ${name.padEnd(20)} ${(bytes / 1e6).toFixed(1)} MB in ${secs.toFixed(2)} s: ${mbps.toFixed(1)} MB/s to xterm${ratio}`);
  };
  // seq's output on a terminal: the numbers plus CR LF per line.
  let seqBytes = 0;
  for (let i = 1; i <= 2000000; i++) seqBytes += String(i).length + 2;
  await timed("true", "warm");
  const seqSecs = [];
  for (let i = 0; i < 3; i++) seqSecs.push(await timed("seq 1 2000000", `seqdone${i}`));
  report("seq 1 2000000", seqBytes, seqSecs.sort((a, b) => a - b)[1], rawSeq);
  if (big) {
    const size = fs.statSync(big).size;
    const lines = fs.readFileSync(big, "utf8").split("\n").length - 1;
    report("cat 50 MB file", size + lines, await timed(`cat ${big}`, "catdone"), rawCat);
  }
  await browser.deleteSession();
} finally {
  await harness.cleanup();
  for (const d of [home, xdg, logDir, path.dirname(project)]) fs.rmSync(d, { recursive: true, force: true });
}
