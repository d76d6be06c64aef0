// Scenarios for the Search panel (issue 4's Search view): streaming results from two
// files, opening a match selected in the editor, F4, and replace-all with its undo, all
// checked on disk.

import fs from "node:fs";
import path from "node:path";
import { waitFor } from "./harness.mjs";
import { UI_TIMEOUT, editorText, openFile, openProject, shown, tab } from "./tests-ide.mjs";

const fileRow = (p) => `[data-testid="search-file"][data-path="${p}"]`;

async function statusText(browser, testid) {
  const el = await browser.$(`[data-testid="${testid}"]`);
  return (await el.isExisting()) ? el.getText() : "";
}

/** Opens the Search view with a chord and types the query once its input has focus. */
async function searchFor(browser, chord, query) {
  await browser.keys(chord);
  await shown(browser, '[data-testid="search-input"]');
  await waitFor(() => browser.execute(() => document.activeElement?.getAttribute("data-testid") === "search-input"), { what: "the search input to take focus" });
  // Element keys, not browser.keys: WebKitWebDriver drops the second of two equal keys ("ll").
  await (await browser.$('[data-testid="search-input"]')).addValue(query);
  await shown(browser, fileRow("hello.txt"));
  await shown(browser, fileRow("src/main.py"));
  await waitFor(async () => (await statusText(browser, "search-summary")).includes("2 results in 2 files"), { what: "the summary to count 2 results in 2 files" });
}

export const searchTests = [
  {
    name: "search: Ctrl+Shift+F finds a word in two files; a click opens the match selected; F4 moves on",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await searchFor(browser, ["Control", "Shift", "f"], "hello");
      // src/main.py line 2 is `    return "hello from aura"`: the match spans columns 13-17.
      await (await shown(browser, '[data-testid="search-match"][data-path="src/main.py"][data-line="2"]')).click();
      await shown(browser, tab("src/main.py"));
      await waitFor(async () => (await editorText(browser)).includes("hello from aura"), { timeout: UI_TIMEOUT, what: "main.py in the editor" });
      await waitFor(async () => (await statusText(browser, "status-cursor")) === "Ln 2, Col 18" && (await statusText(browser, "status-selection")).includes("5 selected"), {
        what: "the match selected in the editor (Ln 2, Col 18, 5 selected)",
      });
      const selected = await browser.execute(() => document.querySelectorAll('[data-testid="editor"] .selected-text').length);
      if (selected === 0) throw new Error("Monaco shows no selection");
      await browser.keys("F4");
      await shown(browser, `${tab("hello.txt")}[aria-selected="true"]`);
      await waitFor(async () => (await statusText(browser, "status-cursor")) === "Ln 1, Col 6", { what: "F4 to select the match in hello.txt" });
    },
  },
  {
    name: "search: replace all changes both files on disk and the open editor; Undo restores them",
    async run(browser, ctx) {
      const hello = path.join(ctx.projectDir, "hello.txt");
      const main = path.join(ctx.projectDir, "src", "main.py");
      const before = { hello: fs.readFileSync(hello, "utf8"), main: fs.readFileSync(main, "utf8") };
      await openProject(browser, ctx.projectDir);
      await (await shown(browser, '[data-testid="tree-item"][data-path="src"]')).click();
      await openFile(browser, "src/main.py", "hello from aura");
      await searchFor(browser, ["Control", "Shift", "h"], "hello");
      await (await shown(browser, '[data-testid="replace-input"]')).addValue("howdy");
      await waitFor(async () => (await browser.$$('[data-testid="search-preview-new"]')).length === 2, { what: "a preview of both replacements" });
      await (await shown(browser, '[data-testid="replace-all"]')).click();
      await waitFor(() => fs.readFileSync(hello, "utf8") === "howdy\n" && fs.readFileSync(main, "utf8").includes('"howdy from aura"'), { what: "both files replaced on disk" });
      await waitFor(async () => (await editorText(browser)).includes("howdy from aura"), { what: "the open editor to show the replaced text" });
      await (await shown(browser, '[data-testid="toast-action"][data-label="Undo"]')).click();
      await waitFor(() => fs.readFileSync(hello, "utf8") === before.hello && fs.readFileSync(main, "utf8") === before.main, { what: "undo to restore both files byte for byte" });
      await waitFor(async () => (await editorText(browser)).includes("hello from aura"), { what: "the open editor to show the restored text" });
    },
  },
  {
    name: "search: the status bar shows the index ready; Ctrl+T finds a workspace symbol; the Semantic mode lists chunks and opens one",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      const index = await shown(browser, '[data-testid="status-index"][data-state^="Ready/"]');
      if (!(await index.getAttribute("title")).includes("Text index: ready (2 files)")) throw new Error(`index tooltip: ${await index.getAttribute("title")}`);
      // The symbol index fills in the background after the project opens: retype until it answers.
      await browser.keys(["Control", "t"]);
      const input = await shown(browser, '[data-testid="palette-input"]');
      await waitFor(
        async () => {
          await input.setValue("#main");
          return (await browser.$('[data-testid="palette-item"][data-key="src/main.py:1:main"]')).isExisting();
        },
        { timeout: UI_TIMEOUT, interval: 1000, what: "the symbol main in src/main.py" },
      );
      await browser.keys("Enter");
      await shown(browser, tab("src/main.py"));
      await waitFor(async () => (await statusText(browser, "status-cursor")) === "Ln 1, Col 1", { what: "the cursor on main's line" });

      await browser.keys(["Control", "Shift", "f"]);
      await (await shown(browser, '[data-testid="search-mode-semantic"]')).click();
      await (await shown(browser, '[data-testid="search-input"]')).addValue("main function returning a greeting");
      const hit = await shown(browser, '[data-testid="search-file"][data-path="src/main.py"] ~ [data-testid="search-match"][data-path="src/main.py"]');
      await hit.click();
      await waitFor(async () => (await statusText(browser, "status-selection")).includes("selected"), { what: "the chunk selected in the editor" });
    },
  },
];
