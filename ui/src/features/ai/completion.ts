// Inline completion (ghost text) for Monaco: after a pause in typing (~250 ms) ask the
// autocomplete model for the text at the cursor; the next keystroke cancels the wait and
// the request in flight (its HTTP request is closed in Rust). Tab accepts (Monaco's
// inline suggestions), Ctrl+Right accepts a word. Never blocks typing: everything is async
// and failures are quiet (the status bar shows the last one).

import type * as Monaco from "monaco-editor";
import { writable } from "../../state/store";
import { newRequestId, type AiBackend } from "./backend";

export interface InlineState {
  enabled: boolean;
  /** The last failure (no provider, ...) for the status bar's tooltip. */
  lastError: string | null;
  busy: boolean;
}

export const inlineState = writable<InlineState>({ enabled: true, lastError: null, busy: false });

export function toggleInline(): void {
  inlineState.update((s) => ({ ...s, enabled: !s.enabled, lastError: null }));
}

/** The debounce and cancellation, separate from Monaco so it can be tested. */
export class InlineController {
  private inFlight: string | null = null;
  private generation = 0;

  constructor(
    private backend: Pick<AiBackend, "complete" | "cancel">,
    private delayMs: number,
    private sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resolves to the completion, or null if superseded, cancelled, off or failed. */
  async request(projectId: string, path: string, language: string, prefix: string, suffix: string, cancelled: () => boolean): Promise<string | null> {
    const gen = ++this.generation;
    if (this.inFlight) {
      const old = this.inFlight;
      this.inFlight = null;
      void this.backend.cancel(old).catch(() => {});
    }
    if (!inlineState.get().enabled) return null;
    await this.sleep(this.delayMs);
    if (gen !== this.generation || cancelled()) return null;
    const id = newRequestId("complete");
    this.inFlight = id;
    inlineState.update((s) => ({ ...s, busy: true }));
    try {
      const c = await this.backend.complete(projectId, { path, language, prefix, suffix }, id);
      if (gen !== this.generation || cancelled()) return null;
      inlineState.update((s) => ({ ...s, lastError: null }));
      return c.text || null;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (gen === this.generation) inlineState.update((s) => ({ ...s, lastError: message }));
      return null;
    } finally {
      if (this.inFlight === id) this.inFlight = null;
      inlineState.update((s) => ({ ...s, busy: false }));
    }
  }
}

/** Registers the provider for every language; `target` says which project/file a model is. */
export function registerInlineCompletions(
  monaco: typeof Monaco,
  controller: InlineController,
  target: (model: Monaco.editor.ITextModel) => { projectId: string; path: string } | null,
): Monaco.IDisposable {
  return monaco.languages.registerInlineCompletionsProvider("*", {
    async provideInlineCompletions(model, position, _context, token) {
      const t = target(model);
      if (!t) return { items: [] };
      const full = model.getFullModelRange();
      const prefix = model.getValueInRange({ startLineNumber: 1, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
      const suffix = model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: position.column, endLineNumber: full.endLineNumber, endColumn: full.endColumn });
      const text = await controller.request(t.projectId, t.path, model.getLanguageId(), prefix, suffix, () => token.isCancellationRequested);
      if (!text) return { items: [] };
      return { items: [{ insertText: text, range: new monaco.Range(position.lineNumber, position.column, position.lineNumber, position.column) }] };
    },
    disposeInlineCompletions() {},
  });
}
