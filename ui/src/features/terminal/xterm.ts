// xterm.js behind the TermView interface: one Terminal per session, its own host element
// (kept across panel switches, so a hidden terminal keeps its screen), the fit addon for
// "resize follows the panel", and a link provider that opens file:line references.

import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import "@xterm/xterm/css/xterm.css";
import { findFileLinks, toProjectPath } from "./links";
import { sessionsFor } from "./registry";
import type { TerminalSessions, TermView } from "./sessions";
import { coalesceViewportSync, viewportOf } from "./viewport";

/**
 * Lines kept above the screen: VS Code's default. Measured here (scripts/bench/exec),
 * 10,000 lines made the window ~25% slower on `cat` of a big file and xterm's parser alone
 * 1.4-1.9x slower on `seq`: once full, every new line overwrites the oldest one of a ring
 * that at 120 columns is 14 MB instead of 1.4 MB (most likely cache misses).
 */
const SCROLLBACK = 1000;

export type OpenAt = (path: string, line: number, column: number) => void;

export class XtermView implements TermView {
  readonly term: Terminal;
  readonly host: HTMLDivElement;
  private readonly fitter = new FitAddon();
  private opened = false;
  private disposed = false;

  constructor(root: string, openAt: OpenAt, fontFamily: string, fontSize: number) {
    this.term = new Terminal({ cursorBlink: true, scrollback: SCROLLBACK, fontFamily, fontSize, allowProposedApi: false });
    this.term.loadAddon(this.fitter);
    this.host = document.createElement("div");
    this.host.className = "xterm-host";
    this.term.registerLinkProvider({
      provideLinks: (y, done) => {
        const line = this.term.buffer.active.getLine(y - 1)?.translateToString(true) ?? "";
        const links = findFileLinks(line).flatMap((l) => {
          const rel = toProjectPath(l.path, root);
          if (rel === null) return [];
          return [
            {
              range: { start: { x: l.start + 1, y }, end: { x: l.end, y } },
              text: line.slice(l.start, l.end),
              activate: () => openAt(rel, l.line, l.column ?? 1),
            },
          ];
        });
        done(links.length ? links : undefined);
      },
    });
  }

  get cols() {
    return this.term.cols;
  }
  get rows() {
    return this.term.rows;
  }
  write(data: Uint8Array | string, parsed?: () => void) {
    this.term.write(data, parsed);
  }
  onData(cb: (d: string) => void) {
    return this.term.onData(cb);
  }
  onResize(cb: (s: { cols: number; rows: number }) => void) {
    return this.term.onResize(cb);
  }
  dispose() {
    this.disposed = true;
    this.term.dispose();
    this.host.remove();
  }

  /** Shows the terminal in `container` (opening it the first time) and fits it. */
  attach(container: HTMLElement) {
    if (this.host.parentElement !== container) container.replaceChildren(this.host);
    if (!this.opened) {
      this.term.open(this.host);
      this.opened = true;
      const viewport = viewportOf(this.term);
      if (viewport) coalesceViewportSync(viewport, () => !this.disposed);
    }
    this.fit();
    this.term.focus();
  }

  /** Resizes the terminal to its host (which follows the panel); skipped while hidden. */
  fit() {
    if (!this.opened || this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
    try {
      this.fitter.fit();
    } catch {
      // Not laid out yet; the next resize fits it.
    }
  }
}

/** The terminals of a project, their views xterm.js terminals (see registry.ts). */
export function terminalsFor(projectId: string, root: string, openAt: OpenAt, font: { family: string; size: number }): TerminalSessions {
  return sessionsFor(projectId, () => new XtermView(root, openAt, font.family, font.size));
}

/** A session's view as the panel shows it. */
export function xtermOf(s: TerminalSessions, id: string): XtermView | null {
  const v = s.views.get(id);
  return v instanceof XtermView ? v : null;
}
