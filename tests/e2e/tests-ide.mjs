// Scenarios for the IDE window (issue 3): explorer operations, the close prompt, session
// restore, the command palette, quick-open, and the conflict diff. Same rules as
// tests.mjs: data-testid / data-path selectors only, wait for markers, never sleep-and-check.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./harness.mjs";

const UI_TIMEOUT = Number(process.env.AURA_E2E_UI_TIMEOUT ?? 30000);
const here = path.dirname(fileURLToPath(import.meta.url));

/** Thrown to skip a test; run.mjs counts it as skipped and prints the reason loudly. */
export class Skip extends Error {}

const tree = (p) => `[data-testid="tree-item"][data-path="${p}"]`;
const tab = (p) => `[data-testid="tab"][data-path="${p}"]`;

async function shown(browser, selector, timeout = UI_TIMEOUT) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout, timeoutMsg: `${selector} not displayed after ${timeout} ms` });
  return el;
}

async function gone(browser, selector, timeout = 15000) {
  await waitFor(async () => !(await (await browser.$(selector)).isExisting()), { timeout, what: `${selector} to go away` });
}

async function editorText(browser) {
  const el = await browser.$('[data-testid="editor"] .view-lines');
  if (!(await el.isExisting())) return "";
  return (await el.getText()).replace(/\u00a0/g, " ");
}

async function openProject(browser, dir) {
  await (await shown(browser, '[data-testid="open-path-input"]')).setValue(dir);
  await (await shown(browser, '[data-testid="open-path-button"]')).click();
  await shown(browser, tree("hello.txt"));
}

async function openFile(browser, p, text) {
  await (await shown(browser, tree(p))).doubleClick();
  await shown(browser, tab(p));
  await waitFor(async () => (await editorText(browser)).includes(text), { timeout: UI_TIMEOUT, what: `${p} in the editor` });
}

async function typeInEditor(browser, text) {
  await (await browser.$('[data-testid="editor"] .view-lines')).click();
  await browser.keys(["Control", "End"]);
  await browser.keys(text);
}

// Shared with the other IDE scenario files.
export { UI_TIMEOUT, tree, tab, shown, gone, editorText, openProject, openFile, typeInEditor };

export const ideTests = [
  {
    name: "explorer: F2 renames and Delete (after confirming) trashes, on disk",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await (await shown(browser, tree("hello.txt"))).click();
      await browser.keys("F2");
      // Keys, not setValue: WebDriver's clear blurs the field, which ends the edit.
      await shown(browser, '[data-testid="tree-edit-input"]');
      await browser.keys(["Control", "a"]);
      await browser.keys("renamed.txt");
      await browser.keys("Enter");
      const from = path.join(ctx.projectDir, "hello.txt");
      const to = path.join(ctx.projectDir, "renamed.txt");
      await waitFor(() => fs.existsSync(to) && !fs.existsSync(from), { what: "hello.txt renamed on disk" });
      await (await shown(browser, tree("renamed.txt"))).click();
      await browser.keys("Delete");
      await (await shown(browser, '[data-testid="confirm-delete-ok"]')).click();
      await waitFor(() => !fs.existsSync(to), { what: "renamed.txt gone from disk" });
      await gone(browser, tree("renamed.txt"));
    },
  },
  {
    name: "explorer: the context menu creates a file in a folder",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await shown(browser, tree("src"));
      // A synthetic contextmenu event: WebKitWebDriver's right-click support varies.
      await browser.execute((sel) => {
        const el = document.querySelector(sel);
        const r = el.getBoundingClientRect();
        el.dispatchEvent(new MouseEvent("contextmenu", { bubbles: true, cancelable: true, clientX: r.left + 20, clientY: r.top + 5 }));
      }, tree("src"));
      await (await shown(browser, '[data-testid="menu-new-file"]')).click();
      await shown(browser, '[data-testid="tree-edit-input"]');
      await browser.keys("made.txt");
      await browser.keys("Enter");
      await waitFor(() => fs.existsSync(path.join(ctx.projectDir, "src", "made.txt")), { what: "src/made.txt on disk" });
      await shown(browser, tab("src/made.txt"));
    },
  },
  {
    name: "closing a dirty tab asks: cancel keeps it, don't save discards",
    before(ctx) {
      // Auto-save (after 1 s by default) would save the edit while the question is open.
      fs.mkdirSync(path.join(ctx.home, "config"), { recursive: true });
      fs.writeFileSync(path.join(ctx.home, "config", "settings.toml"), '[editor]\nauto_save = "off"\n');
    },
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await openFile(browser, "hello.txt", "hello");
      await typeInEditor(browser, "unsaved");
      await shown(browser, `${tab("hello.txt")}[data-dirty="true"]`, 5000);
      await (await browser.$(`${tab("hello.txt")} [data-testid="tab-close"]`)).click();
      await (await shown(browser, '[data-testid="close-cancel"]')).click();
      await gone(browser, '[data-testid="confirm-close"]');
      await shown(browser, tab("hello.txt"));
      await (await browser.$(`${tab("hello.txt")} [data-testid="tab-close"]`)).click();
      await (await shown(browser, '[data-testid="close-discard"]')).click();
      await gone(browser, tab("hello.txt"));
      if (fs.readFileSync(path.join(ctx.projectDir, "hello.txt"), "utf8") !== "hello\n") throw new Error("discarding changed the file");
    },
  },
  {
    name: "a restart restores the open tabs and the layout",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await (await shown(browser, tree("src"))).click();
      await openFile(browser, "src/main.py", "def main");
      await openFile(browser, "hello.txt", "hello");
      await browser.keys(["Control", "j"]); // show the panel: layout is restored too
      await shown(browser, '[data-testid="panel"]');
      await browser.pause(1500); // the session is written 0.4 s after the last change
      await browser.reloadSession(); // quits the app and starts it again with the same AURA_HOME
      await (await shown(browser, `[data-testid="recent-project"][data-path="${ctx.projectDir}"] button`)).click();
      await shown(browser, tab("src/main.py"));
      await shown(browser, tab("hello.txt"));
      await waitFor(async () => (await editorText(browser)).includes("hello"), { timeout: UI_TIMEOUT, what: "the active tab's text" });
      await shown(browser, '[data-testid="panel"]');
    },
  },
  {
    name: "the command palette lists commands with keybindings and runs one",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await browser.keys(["Control", "Shift", "p"]);
      const input = await shown(browser, '[data-testid="palette-input"]');
      await input.addValue("toggle panel");
      const item = await shown(browser, '[data-testid="palette-item"][data-key="view.togglePanel"]');
      const text = await item.getText();
      if (!text.includes("Ctrl+J")) throw new Error(`no keybinding shown: ${JSON.stringify(text)}`);
      await browser.keys("Enter");
      await gone(browser, '[data-testid="palette"]');
      await shown(browser, '[data-testid="panel"]');
    },
  },
  {
    name: "quick-open finds a file by a fuzzy name (searchFiles, ranked in Rust)",
    async run(browser, ctx) {
      const bindings = fs.readFileSync(path.join(here, "../../ui/src/ipc/bindings.ts"), "utf8");
      if (!bindings.includes("searchFiles(")) {
        throw new Skip("SKIPPED: the backend command searchFiles is not in ui/src/ipc/bindings.ts yet; quick-open falls back to a local walk");
      }
      await openProject(browser, ctx.projectDir);
      await browser.keys(["Control", "p"]);
      await (await shown(browser, '[data-testid="palette-input"]')).addValue("smnpy");
      await shown(browser, '[data-testid="palette-item"][data-key="src/main.py"]');
      // The UI marks results of its local fallback; here they must come from the backend.
      if (await (await browser.$('[data-testid="palette-note"]')).isExisting()) {
        throw new Error("quick-open used the local fallback although the bindings have searchFiles: rebuild ui/dist and the app");
      }
      await browser.keys("Enter");
      await shown(browser, tab("src/main.py"));
      await waitFor(async () => (await editorText(browser)).includes("def main"), { timeout: UI_TIMEOUT, what: "main.py opened from quick-open" });
    },
  },
  {
    name: "an external edit of a dirty file shows the conflict bar with a diff; neither version is lost",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await openFile(browser, "hello.txt", "hello");
      await typeInEditor(browser, "mine");
      await shown(browser, `${tab("hello.txt")}[data-dirty="true"]`, 5000);
      const file = path.join(ctx.projectDir, "hello.txt");
      fs.writeFileSync(file, "theirs\n");
      await shown(browser, '[data-testid="notice"][data-kind="changedOnDisk"]', 20000);
      const diff = await shown(browser, '[data-testid="conflict-diff"]');
      await waitFor(async () => {
        const t = (await diff.getText()).replace(/\u00a0/g, " ");
        return t.includes("theirs") && t.includes("mine");
      }, { what: "both versions in the diff" });
      if (fs.readFileSync(file, "utf8") !== "theirs\n") throw new Error("the external version was overwritten");
      if (!(await editorText(browser)).includes("mine")) throw new Error("the buffer lost the local edit");
      await (await shown(browser, '[data-testid="take-theirs"]')).click();
      await waitFor(async () => (await editorText(browser)).includes("theirs"), { what: "their version in the editor" });
      await (await browser.$('[data-testid="editor"] .view-lines')).click();
      await browser.keys(["Control", "z"]);
      await waitFor(async () => (await editorText(browser)).includes("mine"), { what: "undo to bring the local edit back" });
    },
  },
  {
    name: "quick-open's local fallback opens a file by a fuzzy name; Ctrl+\\ splits; single click previews",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      // Single click: an italic preview tab that the next single click replaces.
      await (await shown(browser, tree("hello.txt"))).click();
      await shown(browser, `${tab("hello.txt")}[data-preview="true"]`);
      await browser.keys(["Control", "p"]);
      await (await shown(browser, '[data-testid="palette-input"]')).addValue("mainpy");
      await shown(browser, '[data-testid="palette-item"][data-key="src/main.py"]');
      await browser.keys("Enter");
      await shown(browser, `${tab("src/main.py")}[data-preview="false"]`);
      await waitFor(async () => (await editorText(browser)).includes("def main"), { timeout: UI_TIMEOUT, what: "main.py opened from quick-open" });
      await browser.keys(["Control", "\\"]);
      await shown(browser, '[data-testid="editor-group"][data-group="1"] [data-testid="tab"][data-path="src/main.py"]');
    },
  },
  {
    name: "tabs follow a file renamed in the explorer and then on disk, edits kept; a file deleted on disk is marked",
    before(ctx) {
      fs.mkdirSync(path.join(ctx.home, "config"), { recursive: true });
      fs.writeFileSync(path.join(ctx.home, "config", "settings.toml"), '[editor]\nauto_save = "off"\n');
    },
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await (await shown(browser, tree("src"))).click();
      await openFile(browser, "src/main.py", "def main");
      await openFile(browser, "hello.txt", "hello");
      await typeInEditor(browser, "mine");
      await shown(browser, `${tab("hello.txt")}[data-dirty="true"]`, 5000);
      await (await shown(browser, tree("hello.txt"))).click();
      await browser.keys("F2");
      await shown(browser, '[data-testid="tree-edit-input"]');
      await browser.keys(["Control", "a"]);
      await browser.keys("notes.txt");
      await browser.keys("Enter");
      await shown(browser, `${tab("notes.txt")}[data-dirty="true"]`);
      await gone(browser, tab("hello.txt"));
      // Renamed outside the app: the watcher's Renamed event moves the tab again.
      fs.renameSync(path.join(ctx.projectDir, "notes.txt"), path.join(ctx.projectDir, "moved.txt"));
      await shown(browser, `${tab("moved.txt")}[data-dirty="true"]`, 20000);
      await gone(browser, tab("notes.txt"));
      if (!(await editorText(browser)).includes("mine")) throw new Error("the edit was lost in the renames");
      await browser.keys(["Control", "s"]);
      await waitFor(() => fs.readFileSync(path.join(ctx.projectDir, "moved.txt"), "utf8").includes("mine"), { what: "the save to reach moved.txt" });
      if (fs.existsSync(path.join(ctx.projectDir, "hello.txt")) || fs.existsSync(path.join(ctx.projectDir, "notes.txt"))) throw new Error("a save recreated an old name");
      fs.rmSync(path.join(ctx.projectDir, "src", "main.py"));
      await shown(browser, `${tab("src/main.py")}[data-deleted="true"]`, 20000);
    },
  },
];
