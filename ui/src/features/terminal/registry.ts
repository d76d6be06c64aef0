// Each project's terminal sessions, kept for as long as the page lives. Apart from the
// xterm.js views so that the workbench (the Run commands ask for a project's terminals)
// does not pull xterm.js into the first chunk: the panel loads it when a terminal is shown.

import { api } from "../../ipc";
import { TerminalSessions, type TermView } from "./sessions";

const registry = new Map<string, TerminalSessions>();

/** The terminals of a project, created with `makeView` for its views the first time. */
export function sessionsFor(projectId: string, makeView: () => TermView): TerminalSessions {
  let s = registry.get(projectId);
  if (!s) {
    s = new TerminalSessions({ backend: api, projectId, makeView });
    registry.set(projectId, s);
  }
  return s;
}

/** The project's terminals if the panel has been shown once. */
export function existingTerminals(projectId: string): TerminalSessions | null {
  return registry.get(projectId) ?? null;
}
