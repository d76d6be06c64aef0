// Tells the backend when a screen first became usable; its log line with the time since
// process start is what the start-up benchmark reads. Once per screen per window.

import { api } from "../ipc";

const sent = new Set<string>();

export function reportReady(screen: "welcome" | "project" | "editor"): void {
  if (sent.has(screen)) return;
  sent.add(screen);
  // After the next frame, so "ready" means painted, not merely mounted.
  requestAnimationFrame(() => void api.uiReady(screen).catch(() => {}));
}
