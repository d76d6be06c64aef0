// The scenarios. Each gets a fresh app (new WebDriver session) and a `ctx` with the
// temp project; selectors use only data-testid / data-path attributes of the UI.

import fs from "node:fs";
import path from "node:path";
import { waitFor } from "./harness.mjs";
import { ideTests } from "./tests-ide.mjs";
import { searchTests } from "./tests-search.mjs";
import { windowTests } from "./tests-window.mjs";
import { aiTests } from "./tests-ai.mjs";
import { execTests } from "./tests-exec.mjs";

const UI_TIMEOUT = Number(process.env.AURA_E2E_UI_TIMEOUT ?? 30000); // first paint and Monaco load can be slow on a busy 2-core box

const sel = {
  openInput: '[data-testid="open-path-input"]',
  openButton: '[data-testid="open-path-button"]',
  openError: '[data-testid="open-error"]',
  tree: (p) => `[data-testid="tree-item"][data-path="${p}"]`,
  tab: (p) => `[data-testid="tab"][data-path="${p}"]`,
  editorLines: '[data-testid="editor"] .view-lines',
  status: '[data-testid="status-bar"]',
};

async function shown(browser, selector, timeout = UI_TIMEOUT) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout, timeoutMsg: `${selector} not displayed after ${timeout} ms` });
  return el;
}

/** Monaco renders spaces as U+00A0; compare against normal text. */
async function editorText(browser) {
  const el = await browser.$(sel.editorLines);
  if (!(await el.isExisting())) return "";
  return (await el.getText()).replace(/\u00a0/g, " ");
}

async function openProject(browser, dir) {
  const input = await shown(browser, sel.openInput);
  await input.setValue(dir);
  await (await shown(browser, sel.openButton)).click();
  await shown(browser, sel.tree("hello.txt"));
}

async function openHello(browser) {
  await (await shown(browser, sel.tree("hello.txt"))).click();
  await shown(browser, sel.tab("hello.txt"));
  await waitFor(async () => (await editorText(browser)).includes("hello"), { timeout: UI_TIMEOUT, what: "hello.txt text in the editor" });
}

export const tests = [
  {
    name: "open a folder by path, edit hello.txt in Monaco, Ctrl+S writes it to disk",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await openHello(browser);

      const typed = "typed by e2e";
      await (await browser.$(sel.editorLines)).click();
      await browser.keys(["Control", "End"]); // a chord: jump to the end of the file
      await browser.keys(typed); // a string: one key per character
      await waitFor(async () => (await editorText(browser)).includes(typed), { what: "typed text in the editor" });
      await shown(browser, `${sel.tab("hello.txt")}[data-dirty="true"]`, 5000);

      await browser.keys(["Control", "s"]);
      const file = path.join(ctx.projectDir, "hello.txt");
      await waitFor(() => fs.readFileSync(file, "utf8").includes(typed), { timeout: 15000, what: "the typed text on disk" });
      const onDisk = fs.readFileSync(file, "utf8");
      if (!onDisk.startsWith("hello")) throw new Error(`unexpected file content: ${JSON.stringify(onDisk)}`);
      await shown(browser, `${sel.tab("hello.txt")}[data-dirty="false"]`, 10000);
      const status = await (await shown(browser, sel.status)).getText();
      if (!status.includes(path.basename(ctx.projectDir))) throw new Error(`status bar lacks the project name: ${status}`);
    },
  },
  {
    name: "a bad path in the open field shows an inline NotFound error",
    async run(browser, ctx) {
      const input = await shown(browser, sel.openInput);
      await input.setValue(path.join(ctx.projectDir, "does-not-exist"));
      await (await shown(browser, sel.openButton)).click();
      const err = await shown(browser, sel.openError);
      const text = await err.getText();
      if (!text.includes("NotFound")) throw new Error(`error text lacks NotFound: ${JSON.stringify(text)}`);
      if (await (await browser.$('[data-testid="project-view"]')).isExisting()) throw new Error("project view opened for a bad path");
    },
  },
  {
    name: "a folder expands lazily; a Python file opens highlighted with its language in the status bar",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      if (await (await browser.$(sel.tree("src/main.py"))).isExisting()) throw new Error("src/ was listed before it was expanded");
      await (await shown(browser, sel.tree("src"))).click();
      await (await shown(browser, sel.tree("src/main.py"))).click();
      await waitFor(async () => (await editorText(browser)).includes("def main"), { timeout: UI_TIMEOUT, what: "main.py in the editor" });
      const status = await shown(browser, '[data-testid="status-language"]');
      await waitFor(async () => (await status.getText()) === "python", { what: "python in the status bar" });
      // Token colours come from style rules Monaco injects at run time: if the page's CSP
      // blocked them, every token would have the same colour.
      const colors = await waitFor(
        async () => {
          const c = await browser.execute(() => {
            const spans = document.querySelectorAll('[data-testid="editor"] .view-line span span');
            return [...new Set([...spans].map((s) => getComputedStyle(s).color))];
          });
          return c.length >= 2 ? c : null;
        },
        { what: "more than one token colour (syntax highlighting)" },
      );
      if (colors.length < 2) throw new Error(`no highlighting: ${colors}`);
    },
  },
  {
    name: "external changes: a new file appears in the explorer, a clean open file reloads",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await openHello(browser);
      fs.writeFileSync(path.join(ctx.projectDir, "added.txt"), "new\n");
      await shown(browser, sel.tree("added.txt"), 20000);
      fs.writeFileSync(path.join(ctx.projectDir, "hello.txt"), "changed outside\n");
      await waitFor(async () => (await editorText(browser)).includes("changed outside"), { timeout: 20000, what: "the editor to reload hello.txt" });
    },
  },
  {
    name: "saving over an external change reports a conflict; keep mine overwrites",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await openHello(browser);
      await (await browser.$(sel.editorLines)).click();
      await browser.keys(["Control", "End"]);
      await browser.keys("mine");
      await shown(browser, `${sel.tab("hello.txt")}[data-dirty="true"]`, 5000);
      const file = path.join(ctx.projectDir, "hello.txt");
      fs.writeFileSync(file, "theirs\n");
      await shown(browser, '[data-testid="notice"][data-kind="changedOnDisk"]', 20000);
      await browser.keys(["Control", "s"]);
      await shown(browser, '[data-testid="notice"][data-kind="conflict"]', 15000);
      if (fs.readFileSync(file, "utf8") !== "theirs\n") throw new Error("the conflicting save overwrote the file");
      await (await shown(browser, '[data-testid="keep-mine"]')).click();
      await waitFor(() => fs.readFileSync(file, "utf8").includes("mine"), { what: "keep-mine to write the buffer" });
      await shown(browser, `${sel.tab("hello.txt")}[data-dirty="false"]`, 10000);
    },
  },
  {
    name: "a binary file shows a placeholder; a file over the edit limit opens read-only",
    before(ctx) {
      fs.mkdirSync(path.join(ctx.home, "config"), { recursive: true });
      fs.writeFileSync(path.join(ctx.home, "config", "settings.toml"), "[files]\nmax_edit_size_mb = 1\n");
      fs.writeFileSync(path.join(ctx.projectDir, "blob.bin"), Buffer.from([0, 1, 2, 0, 255, 254, 0, 7]));
      fs.writeFileSync(path.join(ctx.projectDir, "big.log"), "0123456789abcdef\n".repeat(80000)); // ~1.3 MB
    },
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await (await shown(browser, sel.tree("blob.bin"))).click();
      await shown(browser, '[data-testid="binary-placeholder"]');
      await (await shown(browser, sel.tree("big.log"))).click();
      await shown(browser, '[data-testid="readonly-banner"]');
      await waitFor(async () => (await editorText(browser)).includes("0123456789abcdef"), { timeout: UI_TIMEOUT, what: "big.log text" });
      // Typing into a read-only editor must not make the tab dirty.
      await (await browser.$(sel.editorLines)).click();
      await browser.keys("x");
      await browser.pause(500);
      if ((await (await browser.$(sel.tab("big.log"))).getAttribute("data-dirty")) !== "false") throw new Error("read-only tab became dirty");
    },
  },
  {
    name: "new project from the python template opens it",
    async run(browser, ctx) {
      const location = ctx.makeTempDir("aura-e2e-new-");
      await (await shown(browser, '[data-testid="new-name"]')).setValue("fresh");
      const select = await shown(browser, '[data-testid="new-template"]');
      await waitFor(async () => (await select.$$("option")).length > 1, { what: "the template list" });
      await select.selectByAttribute("value", "python");
      await (await shown(browser, '[data-testid="new-location"]')).setValue(location);
      await (await shown(browser, '[data-testid="new-create"]')).click();
      await shown(browser, '[data-testid="project-view"]');
      await shown(browser, '[data-testid="tree-item"]');
      const status = await (await shown(browser, '[data-testid="status-project"]')).getText();
      if (status !== "fresh") throw new Error(`status bar shows ${JSON.stringify(status)}`);
      if (!fs.existsSync(path.join(location, "fresh"))) throw new Error("project folder was not created");
    },
  },
  {
    name: "the TypeScript worker runs in the app (a type error gets a squiggle)",
    before(ctx) {
      fs.writeFileSync(path.join(ctx.projectDir, "bad.ts"), "const n: number = \"not a number\";\n");
    },
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await (await shown(browser, sel.tree("bad.ts"))).click();
      await waitFor(async () => (await editorText(browser)).includes("not a number"), { timeout: UI_TIMEOUT, what: "bad.ts text" });
      // The diagnostic comes from ts.worker: proof that workers load from the bundle under the CSP.
      await shown(browser, '[data-testid="editor"] .squiggly-error', 60000);
    },
  },
  ...ideTests,
  ...searchTests,
  ...windowTests,
  ...aiTests,
  ...execTests,
];
