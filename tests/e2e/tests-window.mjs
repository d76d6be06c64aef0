// Scenarios for the window's settings and lifecycle: the settings form, settings.toml in
// a tab (validated on save), the quit prompt when the window is closed with unsaved
// files, and drag-and-drop in the explorer. Checked on disk, like the others.

import { spawnSync } from "node:child_process";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./harness.mjs";
import { UI_TIMEOUT, editorText, gone, openFile, openProject, shown, tab, tree, typeInEditor } from "./tests-ide.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const settingsFile = (ctx) => path.join(ctx.home, "config", "settings.toml");

function writeSettings(ctx, text) {
  fs.mkdirSync(path.dirname(settingsFile(ctx)), { recursive: true });
  fs.writeFileSync(settingsFile(ctx), text);
}

/** The window manager's close button, as an X client message (see x11-close.py). */
function closeWindow(ctx, ...args) {
  const r = spawnSync("python3", [path.join(here, "x11-close.py"), "Aura", ...args], { env: { ...process.env, DISPLAY: ctx.display }, encoding: "utf8" });
  return r.status;
}

const editorFontSize = (browser) => browser.execute(() => getComputedStyle(document.querySelector('[data-testid="editor"] .view-lines')).fontSize);

export const windowTests = [
  {
    name: "settings form: a new font size applies to the editor and persists in settings.toml",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await openFile(browser, "hello.txt", "hello");
      await browser.keys(["Control", ","]);
      const size = await shown(browser, '[data-testid="setting-font-size"]');
      await size.setValue("21");
      await (await shown(browser, '[data-testid="settings-save"]')).click();
      await shown(browser, '[data-testid="settings-saved"]');
      await waitFor(() => /^font_size = 21$/m.test(fs.readFileSync(settingsFile(ctx), "utf8")), { what: "font_size = 21 in settings.toml" });
      await waitFor(async () => (await editorFontSize(browser)) === "21px", { what: "the editor font at 21px" });
      // A value out of range is refused by code and the file keeps the last good one.
      await size.setValue("900");
      await (await shown(browser, '[data-testid="settings-save"]')).click();
      const err = await shown(browser, '[data-testid="settings-error"]');
      if (!(await err.getText()).includes("InvalidInput")) throw new Error(`no InvalidInput shown: ${await err.getText()}`);
      if (!/^font_size = 21$/m.test(fs.readFileSync(settingsFile(ctx), "utf8"))) throw new Error("a refused value reached settings.toml");
    },
  },
  {
    name: "settings.toml in a tab: a bad value is refused by code and the file kept; a good one saves and applies",
    before: (ctx) => writeSettings(ctx, '# mine\n[editor]\nauto_save = "off"\ntab_size = 4\n'),
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await browser.keys(["Control", ","]);
      await (await shown(browser, '[data-testid="settings-open-file"]')).click();
      await shown(browser, tab("/settings.toml"));
      await waitFor(async () => (await editorText(browser)).includes("# mine"), { timeout: UI_TIMEOUT, what: "settings.toml in the editor" });
      await typeInEditor(browser, "\nfont_size = 2");
      await browser.keys(["Control", "s"]);
      const notice = await shown(browser, '[data-testid="notice"][data-kind="failed"]');
      if (!(await notice.getText()).includes("InvalidInput")) throw new Error(`notice lacks the code: ${await notice.getText()}`);
      if (fs.readFileSync(settingsFile(ctx), "utf8").includes("font_size")) throw new Error("the refused text reached the disk");
      await browser.keys("3"); // font_size = 23
      await browser.keys(["Control", "s"]);
      await waitFor(() => fs.readFileSync(settingsFile(ctx), "utf8").includes("font_size = 23"), { what: "the fixed text on disk" });
      await gone(browser, '[data-testid="notice"][data-kind="failed"]');
      if (!fs.readFileSync(settingsFile(ctx), "utf8").startsWith("# mine\n")) throw new Error("the file was not saved as typed");
      await waitFor(async () => (await editorFontSize(browser)) === "23px", { what: "the new font size applied to the editor" });
    },
  },
  {
    name: "closing the window with an unsaved file asks: cancel stays, save all writes it and quits",
    before: (ctx) => writeSettings(ctx, '[editor]\nauto_save = "off"\n'),
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await openFile(browser, "hello.txt", "hello");
      await typeInEditor(browser, "unsaved");
      await shown(browser, `${tab("hello.txt")}[data-dirty="true"]`, 5000);
      if (closeWindow(ctx) !== 0) throw new Error("no Aura window to close");
      await (await shown(browser, '[data-testid="quit-cancel"]')).click();
      await gone(browser, '[data-testid="confirm-quit"]');
      // Still open after the backend's 3 s answer timeout: the page answered and kept it.
      await browser.pause(3500);
      await shown(browser, `${tab("hello.txt")}[data-dirty="true"]`);
      if (closeWindow(ctx, "--count") !== 0) throw new Error("the window closed although the user cancelled");
      if (closeWindow(ctx) !== 0) throw new Error("no Aura window to close");
      await (await shown(browser, '[data-testid="quit-save"]')).click();
      await waitFor(() => fs.readFileSync(path.join(ctx.projectDir, "hello.txt"), "utf8").includes("unsaved"), { what: "the save before quitting" });
      await waitFor(() => closeWindow(ctx, "--count") === 1, { what: "the window to close" });
    },
  },
  {
    name: "explorer: dragging a file onto a folder moves it on disk and its open tab follows",
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await openFile(browser, "hello.txt", "hello");
      await shown(browser, tree("src"));
      // Synthetic drag events with one DataTransfer: WebKitWebDriver cannot drive native
      // HTML drag and drop, so this runs the explorer's own handlers and the real move.
      await browser.execute(
        (fromSel, toSel) => {
          const dt = new DataTransfer();
          const from = document.querySelector(fromSel);
          const to = document.querySelector(toSel);
          const fire = (el, type) => el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
          fire(from, "dragstart");
          fire(to, "dragover");
          fire(to, "drop");
          fire(from, "dragend");
        },
        tree("hello.txt"),
        tree("src"),
      );
      const moved = path.join(ctx.projectDir, "src", "hello.txt");
      await waitFor(() => fs.existsSync(moved) && !fs.existsSync(path.join(ctx.projectDir, "hello.txt")), { what: "hello.txt moved into src on disk" });
      await shown(browser, tree("src/hello.txt"));
      await shown(browser, tab("src/hello.txt"));
      await gone(browser, tab("hello.txt"));
    },
  },
  {
    name: "welcome: importing a .zip unpacks it into the chosen folder and opens it",
    async run(browser, ctx) {
      const work = ctx.makeTempDir("aura-e2e-import-");
      const zip = path.join(work, "site.zip");
      const made = spawnSync("python3", ["-c", "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z: z.writestr('index.html', '<h1>hi</h1>')", zip]);
      if (made.status !== 0) throw new Error(`could not write the zip: ${made.stderr}`);
      const into = path.join(work, "projects");
      fs.mkdirSync(into);
      await (await shown(browser, '[data-testid="import-archive"]')).setValue(zip);
      await (await shown(browser, '[data-testid="import-location"]')).setValue(into);
      await (await shown(browser, '[data-testid="import-submit"]')).click();
      await shown(browser, '[data-testid="project-view"]');
      await shown(browser, tree("index.html"));
      // The project is named after the archive and unpacked into the chosen folder.
      if (!fs.existsSync(path.join(into, "site", "index.html"))) throw new Error(`not unpacked where asked: ${fs.readdirSync(into)}`);
    },
  },
  {
    name: "security: the page cannot eval, reach another origin, or call plugins; our own commands work",
    async run(browser) {
      // A local server the page is not allowed to reach (control: node reaches it).
      let hits = 0;
      const server = http.createServer((_q, r) => (hits++, r.end("open")));
      await new Promise((r) => server.listen(0, "127.0.0.1", r));
      const url = `http://127.0.0.1:${server.address().port}/`;
      try {
        if ((await (await fetch(url)).text()) !== "open") throw new Error("control: the test server does not answer");
        hits = 0;
        await shown(browser, '[data-testid="open-path-input"]');
        const r = await browser.executeAsync((url, done) => {
          const out = {};
          try {
            out.eval = String(eval("1 + 1"));
          } catch (e) {
            out.eval = "blocked: " + e.name;
          }
          try {
            out.fn = String(new Function("return 2")());
          } catch (e) {
            out.fn = "blocked: " + e.name;
          }
          const call = (cmd, args) => window.__TAURI_INTERNALS__.invoke(cmd, args).then((v) => ({ ok: v }), (e) => ({ err: String(e?.message ?? e) }));
          Promise.all([
            fetch(url).then(() => "reached", (e) => "blocked: " + e.name),
            call("plugin:fs|read_text_file", { path: "/etc/hostname" }),
            call("plugin:shell|execute", { program: "sh", args: ["-c", "id"] }),
            call("plugin:opener|open_url", { url }),
            call("app_info", {}),
          ]).then(([fetched, fsRead, shell, opener, info]) => done({ ...out, fetched, fsRead, shell, opener, info }));
        }, url);
        const problems = [];
        if (!r.eval.startsWith("blocked")) problems.push(`eval ran: ${r.eval}`);
        if (!r.fn.startsWith("blocked")) problems.push(`new Function ran: ${r.fn}`);
        if (r.fetched !== "blocked: TypeError" || hits !== 0) problems.push(`fetch to another origin: ${r.fetched}, ${hits} request(s) arrived`);
        for (const k of ["fsRead", "shell", "opener"]) if (!r[k].err) problems.push(`${k} was allowed: ${JSON.stringify(r[k])}`);
        if (!r.info.ok?.version) problems.push(`control: our app_info command failed: ${JSON.stringify(r.info)}`);
        if (problems.length) throw new Error(problems.join("; "));
      } finally {
        server.close();
      }
    },
  },
];
