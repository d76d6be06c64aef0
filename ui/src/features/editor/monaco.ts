// Monaco is loaded on demand (first file opened), never at start-up, so the welcome
// screen paints without waiting for ~4 MB of editor code. Workers come from the
// bundle itself (`?worker`), so nothing is fetched from a CDN and a strict CSP with
// `script-src 'self'` / `worker-src 'self' blob:` is enough.

import type * as Monaco from "monaco-editor";

export type MonacoApi = typeof Monaco;

let pending: Promise<MonacoApi> | null = null;

export function loadMonaco(): Promise<MonacoApi> {
  pending ??= (async () => {
    installWorkers();
    return import("monaco-editor");
  })();
  return pending;
}

type WorkerCtor = new () => Worker;

// Each language worker is its own chunk, fetched only when a model of that language
// first needs it (the TypeScript worker alone is several MB).
async function workerFor(label: string): Promise<WorkerCtor> {
  switch (label) {
    case "json":
      return (await import("monaco-editor/language/json/json.worker?worker")).default;
    case "css":
    case "scss":
    case "less":
      return (await import("monaco-editor/language/css/css.worker?worker")).default;
    case "html":
    case "handlebars":
    case "razor":
      return (await import("monaco-editor/language/html/html.worker?worker")).default;
    case "typescript":
    case "javascript":
      return (await import("monaco-editor/language/typescript/ts.worker?worker")).default;
    default:
      return (await import("monaco-editor/editor/editor.worker?worker")).default;
  }
}

function installWorkers(): void {
  self.MonacoEnvironment = {
    async getWorker(_workerId: string, label: string) {
      const Ctor = await workerFor(label);
      return new Ctor();
    },
  };
}
