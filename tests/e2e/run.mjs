#!/usr/bin/env node
// End-to-end tests of the real desktop app: Xvfb + tauri-driver + WebKitWebDriver.
//   AURA_APP_BIN=/path/to/aura-desktop node tests/e2e/run.mjs [name filter ...]
// AURA_E2E_SCREENSHOTS=1 also keeps a screenshot of each passing test.
// (AURA_APP_BIN defaults to target/debug/aura-desktop; DISPLAY, if set, is used instead of
// a private Xvfb; TAURI_DRIVER and AURA_NATIVE_DRIVER override the driver binaries.)
// Prints "N passed, N failed" last and exits non-zero on any failure. On a failure the
// screenshot and logs go to tests/e2e/artifacts/.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";
import { cleanup, ensureDisplay, log, makeTempDir, startDriver } from "./harness.mjs";
import { tests } from "./tests.mjs";
import { Skip } from "./tests-ide.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, "artifacts");

function makeProject() {
  const dir = path.join(makeTempDir("aura-e2e-proj-"), "demo-project");
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  fs.writeFileSync(path.join(dir, "hello.txt"), "hello\n");
  fs.writeFileSync(path.join(dir, "src", "main.py"), 'def main():\n    return "hello from aura"\n');
  return dir;
}

async function main() {
  // Default to the debug build of this checkout, so a developer can just run the script.
  const bin = process.env.AURA_APP_BIN || path.resolve(here, "../../target/debug/aura-desktop");
  if (!bin || !fs.existsSync(bin)) {
    console.error(`AURA_APP_BIN must point at the built app binary (got ${JSON.stringify(bin)})`);
    console.log("0 passed, 1 failed");
    return 1;
  }
  // Each filter selects the scenarios whose name contains it; none selects all.
  const filters = process.argv.slice(2);
  const selected = tests.filter((t) => filters.length === 0 || filters.some((f) => t.name.includes(f)));
  fs.mkdirSync(artifacts, { recursive: true });
  const logDir = makeTempDir("aura-e2e-logs-");

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    const display = await ensureDisplay(logDir);
    for (const [i, test] of selected.entries()) {
      // A fresh app, home and project per test: no state leaks between scenarios.
      const home = makeTempDir("aura-e2e-home-");
      // Private XDG dirs too: the webview keeps its storage and caches there (and the trash
      // lives there), so the run leaves nothing in the real home directory. A private HOME
      // as well: the terminal's shell reads its startup files from there.
      const xdg = makeTempDir("aura-e2e-xdg-");
      const userHome = path.join(xdg, "home");
      fs.mkdirSync(userHome);
      const ctx = { projectDir: makeProject(), home, userHome, makeTempDir, display };
      test.before?.(ctx); // files and settings the app must find at start
      const env = {
        ...process.env,
        DISPLAY: display,
        HOME: userHome,
        AURA_HOME: home,
        XDG_CONFIG_HOME: path.join(xdg, "config"),
        XDG_DATA_HOME: path.join(xdg, "data"),
        XDG_CACHE_HOME: path.join(xdg, "cache"),
        XDG_STATE_HOME: path.join(xdg, "state"),
      };
      const t0 = Date.now();
      let browser;
      let driver;
      try {
        driver = await startDriver({ env, logDir });
        browser = await remote({
          hostname: "127.0.0.1",
          port: driver.port,
          logLevel: "error",
          connectionRetryTimeout: 60000,
          capabilities: { "tauri:options": { application: bin }, "wdio:enforceWebDriverClassic": true },
        });
        await test.run(browser, ctx);
        if (process.env.AURA_E2E_SCREENSHOTS) await browser.saveScreenshot(path.join(artifacts, `test-${i + 1}-pass.png`));
        passed++;
        log(`ok   ${i + 1} - ${test.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (e) {
        if (e instanceof Skip) {
          skipped++;
          log(`SKIP ${i + 1} - ${test.name}\n    !!! ${e.message} !!!`);
          continue;
        }
        failed++;
        log(`FAIL ${i + 1} - ${test.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n    ${e.stack ?? e}`);
        await saveArtifacts(browser, `test-${i + 1}`, { home, logDir });
      } finally {
        await browser?.deleteSession().catch(() => {});
        await cleanupDriver(driver);
      }
    }
  } catch (e) {
    failed++;
    log(`setup failed: ${e.stack ?? e}`);
    copyDir(logDir, path.join(artifacts, "setup-logs"));
  } finally {
    await cleanup();
  }
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  return failed === 0 ? 0 : 1;
}

async function cleanupDriver(driver) {
  if (!driver || driver.rec.exited) return;
  try {
    process.kill(-driver.rec.child.pid, "SIGTERM");
  } catch {
    /* gone */
  }
  for (let i = 0; i < 60 && !driver.rec.exited; i++) await new Promise((r) => setTimeout(r, 50));
}

async function saveArtifacts(browser, name, { home, logDir }) {
  try {
    if (browser) {
      const file = path.join(artifacts, `${name}.png`);
      await browser.saveScreenshot(file);
      log(`    screenshot: ${file}`);
      fs.writeFileSync(path.join(artifacts, `${name}.html`), await browser.getPageSource());
    }
  } catch (e) {
    log(`    (no screenshot: ${e.message})`);
  }
  copyDir(logDir, path.join(artifacts, `${name}-logs`));
  copyDir(home, path.join(artifacts, `${name}-aura-home`), (p) => !/\.(db|sqlite3?)(-wal|-shm|-journal)?$/.test(p));
}

function copyDir(from, to, keep = () => true) {
  try {
    fs.cpSync(from, to, { recursive: true, filter: keep });
  } catch {
    /* best effort */
  }
}

process.exitCode = await main();
