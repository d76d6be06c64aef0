// Monaco models as the document store's `Buffers`: one model per open file, dirty
// tracking by the model's alternative version id (so undoing back to the saved
// text makes the tab clean again).

import type * as Monaco from "monaco-editor";
import type { Buffers } from "../../state/documents";
import { loadMonaco, type MonacoApi } from "./monaco";
import { languageFor } from "../../state/language";

/** The file each model belongs to now (a renamed file keeps its model and old URI). */
export const modelPaths = new WeakMap<Monaco.editor.ITextModel, string>();

interface Entry {
  model: Monaco.editor.ITextModel;
  clean: number;
  sub: Monaco.IDisposable;
}

export interface ModelOptions {
  tabSize: number;
  insertSpaces: boolean;
}

export class MonacoBuffers implements Buffers {
  private entries = new Map<string, Entry>();
  private monaco: MonacoApi | null = null;
  private suppress = false;
  /** Set by the session so dirty changes reach the document state. */
  onDirty: (path: string, dirty: boolean) => void = () => {};

  constructor(private options: ModelOptions) {}

  async load(path: string, text: string, _readOnly: boolean): Promise<void> {
    const monaco = (this.monaco ??= await loadMonaco());
    let entry = this.entries.get(path);
    if (!entry) {
      // Our own table (aura-core's list) names the language; Monaco's guess from the URI
      // misses names like Dockerfile/Makefile and extensions like .toml.
      const model = monaco.editor.createModel(text, languageFor(path), monaco.Uri.file("/" + path));
      model.updateOptions(this.options);
      modelPaths.set(model, path);
      const sub = model.onDidChangeContent(() => {
        if (this.suppress) return;
        const e = this.entries.get(path);
        if (e) this.onDirty(path, model.getAlternativeVersionId() !== e.clean);
      });
      entry = { model, clean: model.getAlternativeVersionId(), sub };
      this.entries.set(path, entry);
      return;
    }
    if (entry.model.getValue() !== text) {
      // An edit instead of setValue keeps undo history across external reloads.
      // Undo stops on both sides make the reload one undo step of its own, so a single
      // Ctrl+Z after "take theirs" brings back exactly the user's text.
      this.suppress = true;
      try {
        entry.model.pushStackElement();
        entry.model.pushEditOperations([], [{ range: entry.model.getFullModelRange(), text }], () => null);
        entry.model.pushStackElement();
      } finally {
        this.suppress = false;
      }
    }
    entry.clean = entry.model.getAlternativeVersionId();
    this.onDirty(path, false);
  }

  snapshot(path: string): { text: string; token: number } | null {
    const e = this.entries.get(path);
    return e ? { text: e.model.getValue(), token: e.model.getAlternativeVersionId() } : null;
  }

  markClean(path: string, token: number): void {
    const e = this.entries.get(path);
    if (!e) return;
    e.clean = token;
    this.onDirty(path, e.model.getAlternativeVersionId() !== token);
  }

  rename(from: string, to: string): void {
    const e = this.entries.get(from);
    if (!e || this.entries.has(to)) return;
    this.entries.delete(from);
    this.entries.set(to, e);
    modelPaths.set(e.model, to);
    // The model keeps its URI (Monaco cannot change it without losing undo history);
    // the language follows the new name.
    this.monaco?.editor.setModelLanguage(e.model, languageFor(to));
    // Dirty reports of this model must name the new path.
    e.sub.dispose();
    e.sub = e.model.onDidChangeContent(() => {
      if (this.suppress) return;
      const cur = this.entries.get(to);
      if (cur) this.onDirty(to, e.model.getAlternativeVersionId() !== cur.clean);
    });
  }

  dispose(path: string): void {
    const e = this.entries.get(path);
    if (!e) return;
    e.sub.dispose();
    e.model.dispose();
    this.entries.delete(path);
  }

  disposeAll(): void {
    for (const p of [...this.entries.keys()]) this.dispose(p);
  }

  model(path: string): Monaco.editor.ITextModel | null {
    return this.entries.get(path)?.model ?? null;
  }

  setOptions(options: ModelOptions): void {
    this.options = options;
    for (const e of this.entries.values()) e.model.updateOptions(options);
  }
}
