// The AI assistant in the real window, against the local test provider (a process that
// speaks OpenAI's streaming wire format, started per test on a port picked here, and
// stopped at the end of the test): an answer streams into the chat panel; an edit is
// previewed in the diff editor, accepted, and the file on disk changes; without any
// provider the chat says so and editing goes on.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startProcess, waitFor } from "./harness.mjs";
import { UI_TIMEOUT, editorText, openFile, openProject, shown, tree, typeInEditor } from "./tests-ide.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

function providerBin() {
  if (process.env.AURA_PROVIDER_BIN) return process.env.AURA_PROVIDER_BIN;
  const app = process.env.AURA_APP_BIN || path.resolve(here, "../../target/debug/aura-desktop");
  return path.join(path.dirname(app), "aura-provider-server");
}

/** A free port, found synchronously (the settings must name it before the app starts). */
function freePortSync() {
  const r = spawnSync(process.execPath, ["-e", "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"], { encoding: "utf8" });
  const port = Number(r.stdout.trim());
  if (!port) throw new Error(`no free port: ${r.stderr}`);
  return port;
}

function writeAiSettings(ctx, port, extra = "") {
  const provider = port
    ? `\n[[ai.providers]]\nid = "testlocal"\nkind = "openai"\nbase_url = "http://127.0.0.1:${port}/v1"\nmodel = "test-model"\n`
    : "";
  fs.mkdirSync(path.join(ctx.home, "config"), { recursive: true });
  fs.writeFileSync(path.join(ctx.home, "config", "settings.toml"), `[ai]\ndetect_local = false\nmax_retries = 0\n${extra}${provider}`);
}

/** Starts the provider on the port the settings name; the test stops it in `finally`. */
function startProvider(ctx) {
  const bin = providerBin();
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: cargo build -p aura-testkit --bin aura-provider-server`);
  const port = freePortSync();
  ctx.provider = { port, url: `http://127.0.0.1:${port}`, rec: startProcess("provider", bin, ["--port", String(port)]) };
  writeAiSettings(ctx, port);
}

function stopProvider(ctx) {
  const rec = ctx.provider?.rec;
  if (!rec || rec.exited) return;
  try {
    process.kill(-rec.child.pid, "SIGTERM");
  } catch {
    /* gone */
  }
}

async function script(ctx, reply) {
  await waitFor(
    async () => {
      const r = await fetch(`${ctx.provider.url}/__script`, { method: "POST", body: JSON.stringify(reply) });
      return r.ok;
    },
    { timeout: 10000, what: "the test provider to take a script" },
  );
}

async function requests(ctx) {
  return (await fetch(`${ctx.provider.url}/__requests`)).json();
}

async function openAiView(browser) {
  await (await shown(browser, '[data-testid="activity-ai"]')).click();
  await shown(browser, '[data-testid="ai-chat"]');
}

async function ask(browser, text) {
  const input = await shown(browser, '[data-testid="ai-input"]');
  await input.click();
  await browser.keys(text);
  await (await shown(browser, '[data-testid="ai-send"]')).click();
}

const lastAnswer = '[data-testid="ai-message"][data-role="assistant"]:last-child';

export const aiTests = [
  {
    name: "AI chat: an answer streams in from the local provider, rendered safely, with its provider shown",
    before: startProvider,
    async run(browser, ctx) {
      try {
        // Slow pieces, so the page can be seen mid-stream; one piece tries to inject markup.
        const pieces = ["Main ", "prints ", "a ", "greeting. ", '<img src="x" onerror="document.body.dataset.pwned=1">', "\n\n```python\nprint('hi')\n```\n"];
        await script(ctx, { type: "stream", pieces, delay_ms: 400, tokens_in: 30, tokens_out: 6 });
        await openProject(browser, ctx.projectDir);
        await (await shown(browser, tree("src"))).click();
        await openFile(browser, "src/main.py", "def main");
        await openAiView(browser);
        await ask(browser, "What does main do?");
        // Part of the answer is on screen while the stream is still open.
        await waitFor(
          async () => {
            const el = await browser.$(lastAnswer);
            if (!(await el.isExisting())) return false;
            const streaming = (await el.getAttribute("data-streaming")) === "true";
            const text = await el.getText();
            return streaming && text.includes("Main") && !text.includes("greeting");
          },
          { timeout: UI_TIMEOUT, interval: 50, what: "a partial answer while streaming" },
        );
        await waitFor(async () => (await (await browser.$(lastAnswer)).getAttribute("data-streaming")) === "false", { timeout: UI_TIMEOUT, what: "the answer to finish" });
        const answer = await (await browser.$(`${lastAnswer} [data-testid="ai-answer"]`)).getText();
        if (!answer.includes("Main prints a greeting.")) throw new Error(`answer: ${JSON.stringify(answer)}`);
        const meta = await (await shown(browser, `${lastAnswer} [data-testid="ai-meta"]`)).getText();
        if (!meta.includes("testlocal") || !meta.includes("test-model")) throw new Error(`meta: ${meta}`);
        const unsafe = await browser.execute(() => ({
          handlers: document.querySelectorAll('[data-testid="ai-answer"] [onerror]').length,
          pwned: document.body.dataset.pwned ?? null,
        }));
        if (unsafe.handlers !== 0 || unsafe.pwned !== null) throw new Error(`markup from the model ran: ${JSON.stringify(unsafe)}`);
        await shown(browser, `${lastAnswer} button[data-act="apply"]`);
        // The citation chip of the current file is on the question.
        await shown(browser, '[data-testid="ai-message"][data-role="user"] [data-testid="ai-citation"][data-path="src/main.py"]');
        const reqs = await requests(ctx);
        const chat = reqs.find((r) => r.path === "/v1/chat/completions");
        if (!chat) throw new Error(`no chat request: ${JSON.stringify(reqs.map((r) => r.path))}`);
        const body = JSON.parse(chat.body);
        if (body.stream !== true || !JSON.stringify(body.messages).includes("hello from aura")) throw new Error(`request body: ${chat.body.slice(0, 300)}`);
      } finally {
        stopProvider(ctx);
      }
    },
  },
  {
    name: "AI edit: Add Types is previewed as a diff, accepted, and the file on disk changes",
    before: startProvider,
    async run(browser, ctx) {
      try {
        const typed = 'def main() -> str:\n    return "hello from aura"\n';
        await script(ctx, { type: "stream", pieces: ["```python\n", typed, "```\n"] });
        await openProject(browser, ctx.projectDir);
        await (await shown(browser, tree("src"))).click();
        await openFile(browser, "src/main.py", "def main");
        await browser.keys(["Control", "Shift", "p"]);
        await (await shown(browser, '[data-testid="palette-input"]')).addValue("AI: Add Types");
        await shown(browser, '[data-testid="palette-item"][data-key="ai.edit.addTypes"]');
        await browser.keys("Enter");
        await shown(browser, '[data-testid="ai-edit"][data-phase="review"]', UI_TIMEOUT);
        await shown(browser, '[data-testid="ai-diff"] .monaco-diff-editor', UI_TIMEOUT);
        const hunks = await browser.$$('[data-testid="ai-hunk"]');
        if (hunks.length !== 1) throw new Error(`expected one hunk, got ${hunks.length}`);
        const file = path.join(ctx.projectDir, "src", "main.py");
        if (fs.readFileSync(file, "utf8").includes("-> str")) throw new Error("the preview wrote the file");
        await (await shown(browser, '[data-testid="ai-apply"]')).click();
        await waitFor(() => fs.readFileSync(file, "utf8") === typed, { timeout: 15000, what: "the accepted edit on disk" });
        await waitFor(async () => (await editorText(browser)).includes("-> str"), { timeout: 15000, what: "the editor to show the edit" });
        // One Ctrl+Z undoes the whole edit in the editor.
        await (await browser.$('[data-testid="editor"] .view-lines')).click();
        await browser.keys(["Control", "z"]);
        await waitFor(async () => !(await editorText(browser)).includes("-> str"), { timeout: 10000, what: "undo of the AI edit" });
      } finally {
        stopProvider(ctx);
      }
    },
  },
  {
    name: "AI without any provider says so, and editing and saving go on",
    before: (ctx) => writeAiSettings(ctx, null),
    async run(browser, ctx) {
      await openProject(browser, ctx.projectDir);
      await openAiView(browser);
      await ask(browser, "hello?");
      const err = await shown(browser, '[data-testid="ai-error"][data-code="ProviderUnavailable"]', UI_TIMEOUT);
      const text = await err.getText();
      if (!text.includes("No AI provider")) throw new Error(`error text: ${text}`);
      await (await shown(browser, '[data-testid="ai-tab-providers"]')).click();
      await shown(browser, '[data-testid="ai-no-provider"]');
      await (await shown(browser, '[data-testid="activity-explorer"]')).click();
      await openFile(browser, "hello.txt", "hello");
      await typeInEditor(browser, " edits go on");
      await browser.keys(["Control", "s"]);
      const file = path.join(ctx.projectDir, "hello.txt");
      await waitFor(() => fs.readFileSync(file, "utf8").includes("edits go on"), { timeout: 15000, what: "the save on disk" });
    },
  },
];
