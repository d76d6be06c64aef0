// Theme resolution: "system" follows the OS preference and keeps following it.

import type { Theme } from "../ipc/bindings";

export type Resolved = "dark" | "light";

export function resolveTheme(theme: Theme, prefersDark: boolean): Resolved {
  if (theme === "dark" || theme === "light") return theme;
  return prefersDark ? "dark" : "light";
}

/**
 * Applies a theme to the page (`data-theme` on <html>) and calls `onChange` with the
 * resolved value now and whenever the OS preference flips. Returns a stop function.
 */
export function applyTheme(theme: Theme, onChange: (t: Resolved) => void = () => {}): () => void {
  const mq = window.matchMedia?.("(prefers-color-scheme: dark)");
  const run = () => {
    const t = resolveTheme(theme, mq?.matches ?? false);
    document.documentElement.dataset.theme = t;
    onChange(t);
  };
  run();
  if (theme !== "system" || !mq) return () => {};
  mq.addEventListener("change", run);
  return () => mq.removeEventListener("change", run);
}
