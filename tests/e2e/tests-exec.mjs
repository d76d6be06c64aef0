// Terminal and Run scenarios in the real window: type into a PTY terminal and see the
// output; F5 runs a Python file in the sandbox with stdout, stderr and the exit code
// apart; Stop kills a long run; the status bar names the sandbox layers; closing the
// window leaves no child process behind (checked in /proc).

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { processStats, waitFor } from "./harness.mjs";
import { UI_TIMEOUT, openFile, openProject, shown } from "./tests-ide.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Pids whose command line contains `token`. */
function processesWith(token) {
  const out = [];
  for (const { pid, fields } of processStats()) {
    if (fields[0] === "Z") continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmd.includes(token)) out.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function showTerminal(browser) {
  // The panel may be hidden: Ctrl+J toggles it; then pick the Terminal tab.
  if (!(await (await browser.$('[data-testid="panel"]')).isExisting())) await browser.keys(["Control", "j"]);
  await (await shown(browser, '[data-testid="panel-tab-terminal"]')).click();
  await shown(browser, '[data-testid="terminal-tab"]');
  await (await shown(browser, '[data-testid="terminal-host"]')).click();
}

/** Whether xterm.js's stylesheet is in the page (it comes with the lazily loaded terminal). */
const xtermLoaded = (browser) =>
  browser.execute(() =>
    [...document.styleSheets].some((sheet) => {
      try {
        return [...sheet.cssRules].some((r) => r.cssText.includes("xterm-helper-textarea"));
      } catch {
        return false;
      }
    }),
  );

const terminalText = (browser) => browser.execute(() => document.querySelector('[data-testid="terminal-host"] .xterm-rows')?.textContent ?? "");

async function typeInTerminal(browser, text) {
  // One key at a time keeps WebKitWebDriver from dropping doubled letters.
  for (const ch of text) await browser.keys(ch);
  await browser.keys("Enter");
}

export const execTests = [
  {
    name: "terminal: a typed command's output shows in xterm; the status bar names the sandbox layers",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      const status = await shown(browser, '[data-testid="status-sandbox"]');
      await waitFor(async () => (await status.getAttribute("data-level")) !== "", { what: "the sandbox probe" });
      const level = await status.getAttribute("data-level");
      const summary = await status.getText();
      if (level === "full" ? !/^Sandbox: Landlock \d+ \+ seccomp/.test(summary) : !/^Partial: /.test(summary)) throw new Error(`status says ${summary} (${level})`);
      // xterm.js stays out of the start-up path until a terminal is shown, and then comes.
      if (await xtermLoaded(browser)) throw new Error("xterm.js was loaded before any terminal was shown");
      await showTerminal(browser);
      if (!(await xtermLoaded(browser))) throw new Error("xterm.js's stylesheet is missing with a terminal shown");
      // The arithmetic makes the output differ from the echo of the typed line.
      await typeInTerminal(browser, "echo aura-$((6*7)) in $(basename $PWD)");
      const dir = path.basename(ctx.projectDir);
      await waitFor(async () => (await terminalText(browser)).includes(`aura-42 in ${dir}`), { timeout: UI_TIMEOUT, what: "the command's output in the terminal" });
      // A flood three times the backend's flow-control high watermark (8 MiB unacknowledged)
      // gets through only if the page's acks reach the PTY reader: without them it stops at
      // 8 MiB and the marker never shows.
      await typeInTerminal(browser, "head -c 25000000 /dev/zero | tr '\\0' a | fold -w 120; echo flood-$((3*4))");
      await waitFor(async () => (await terminalText(browser)).includes("flood-12"), { timeout: UI_TIMEOUT, what: "the end of a 25 MB flood" });
      // The last output and the exit travel on one stream: the exit line comes after it.
      await typeInTerminal(browser, "echo last-$((2+3)); exit 5");
      await shown(browser, '[data-testid="terminal-tab"][data-exit="5"]');
      await waitFor(async () => (await terminalText(browser)).includes("exited with code 5"), { timeout: UI_TIMEOUT, what: "the exit line" });
      const text = await terminalText(browser);
      if (!(text.indexOf("last-5") >= 0 && text.indexOf("last-5") < text.indexOf("exited with code 5"))) throw new Error(`output and exit out of order: ${text.slice(-300)}`);
    },
  },
  {
    name: "terminal: a sandboxed terminal starts without the hidden home's startup files and cannot write outside the project",
    before(ctx) {
      fs.writeFileSync(path.join(ctx.userHome, ".bashrc"), "echo rc-was-read-$((40+2))\n");
      fs.mkdirSync(path.join(ctx.home, "config"), { recursive: true });
      fs.writeFileSync(path.join(ctx.home, "config", "settings.toml"), '[terminal]\nshell = "/bin/bash"\n');
    },
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      // Control: the plain terminal's bash reads the .bashrc.
      await showTerminal(browser);
      await waitFor(async () => (await terminalText(browser)).includes("rc-was-read-42"), { timeout: UI_TIMEOUT, what: "the plain shell reading .bashrc" });
      await (await shown(browser, '[data-testid="terminal-new-sandboxed"]')).click();
      await waitFor(async () => (await browser.$$('[data-testid="terminal-tab"]')).length === 2, { timeout: UI_TIMEOUT, what: "a second terminal tab" });
      // A machine without every layer asks first; a partial sandbox is still a sandbox here.
      const consent = await browser.$('[data-testid="terminal-consent-accept"]');
      if (await consent.isExisting()) await consent.click();
      await (await shown(browser, '[data-testid="terminal-host"]')).click();
      const outside = path.join(ctx.userHome, "escaped.txt");
      await typeInTerminal(browser, `echo started-$((1+1)); echo x > ${outside} || echo refused-$((2+1))`);
      await waitFor(async () => (await terminalText(browser)).includes("refused-3"), { timeout: UI_TIMEOUT, what: "the sandboxed shell's output" });
      const text = await terminalText(browser);
      if (!text.includes("started-2")) throw new Error(`no output from the sandboxed shell: ${text.slice(-300)}`);
      if (text.includes(".bashrc") || text.includes("rc-was-read-42")) throw new Error(`the sandboxed shell tried the startup files: ${text.slice(-300)}`);
      if (fs.existsSync(outside)) throw new Error("the sandboxed shell wrote outside the project");
    },
  },
  {
    name: "run: F5 runs a Python file (stdout, stderr, exit code apart); Stop kills a long run",
    before(ctx) {
      fs.writeFileSync(path.join(ctx.projectDir, "prog.py"), "import sys\nprint('out-line')\nprint('err-line', file=sys.stderr)\nsys.exit(3)\n");
      fs.writeFileSync(path.join(ctx.projectDir, "long_e2e.py"), "import time\nprint('started', flush=True)\ntime.sleep(120)\n");
    },
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await openFile(browser, "prog.py", "out-line");
      await (await browser.$('[data-testid="editor"] .view-lines')).click();
      await browser.keys("F5");
      await shown(browser, '[data-testid="run-exit"][data-code="3"]');
      const stdout = await (await shown(browser, '[data-testid="run-stdout"]')).getText();
      const stderr = await (await shown(browser, '[data-testid="run-stderr"]')).getText();
      if (stdout.trim() !== "out-line" || stderr.trim() !== "err-line") throw new Error(`stdout ${JSON.stringify(stdout)} stderr ${JSON.stringify(stderr)}`);
      const sandbox = await (await shown(browser, '[data-testid="run-sandbox"]')).getText();
      if (!/^(Sandbox|Partial): /.test(sandbox)) throw new Error(`run sandbox: ${sandbox}`);
      await shown(browser, '[data-testid="run-time"]');
      await shown(browser, '[data-testid="run-memory"]');

      await openFile(browser, "long_e2e.py", "started");
      await (await browser.$('[data-testid="editor"] .view-lines')).click();
      await browser.keys("F5");
      await waitFor(async () => (await (await browser.$('[data-testid="run-stdout"]')).getText()).includes("started"), { what: "the long run to start" });
      if (processesWith("long_e2e.py").length === 0) throw new Error("the long run is not in /proc");
      await (await shown(browser, '[data-testid="run-stop"]')).click();
      const exit = await shown(browser, '[data-testid="run-exit"]', 10000);
      const text = await exit.getText();
      if (!text.includes("after Stop")) throw new Error(`exit after Stop: ${text}`);
      await waitFor(() => processesWith("long_e2e.py").length === 0, { timeout: 5000, what: "the stopped run to be gone from /proc" });
    },
  },
  {
    name: "closing the window ends every terminal job and run (no orphans)",
    before(ctx) {
      fs.writeFileSync(path.join(ctx.projectDir, "orphan_e2e.py"), "import time\nprint('up', flush=True)\ntime.sleep(300)\n");
    },
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await showTerminal(browser);
      const token = `${4000 + Math.floor(Math.random() * 5000)}.5`;
      await typeInTerminal(browser, `sleep ${token} & echo job-$((1+1))`);
      await waitFor(async () => (await terminalText(browser)).includes("job-2"), { what: "the background job" });
      await waitFor(() => processesWith(`sleep ${token}`).length > 0, { what: "the job in /proc" });
      await openFile(browser, "orphan_e2e.py", "up");
      await (await browser.$('[data-testid="editor"] .view-lines')).click();
      await browser.keys("F5");
      await waitFor(async () => (await (await browser.$('[data-testid="run-stdout"]')).getText()).includes("up"), { what: "the run to start" });
      const r = spawnSync("python3", [path.join(here, "x11-close.py"), "Aura"], { env: { ...process.env, DISPLAY: ctx.display }, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`closing the window failed: ${r.stderr}`);
      await waitFor(() => processesWith(`sleep ${token}`).length === 0 && processesWith("orphan_e2e.py").length === 0, {
        timeout: 10000,
        what: "the terminal's job and the run to end with the window",
      });
    },
  },
];
