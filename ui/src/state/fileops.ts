// Path arithmetic for explorer operations (new, rename, move), checked before asking
// the backend, which confines and validates again.

import { baseName, isWithin, parentOf } from "./paths";

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** Null when the name is usable, else why not (the backend has the final word). */
export function nameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return "A name is required.";
  if (n === "." || n === "..") return "That name is reserved.";
  if (/[\\/\0]/.test(n)) return "A name cannot contain / or \\.";
  return null;
}

/** The new path of `from` renamed to `name` in place. */
export function renamedPath(from: string, name: string): string {
  return joinPath(parentOf(from), name.trim());
}

/** Where a drag of `from` onto folder `toDir` lands; null for a no-op or a move into itself. */
export function moveTarget(from: string, toDir: string): string | null {
  if (parentOf(from) === toDir) return null;
  if (isWithin(toDir, from)) return null;
  return joinPath(toDir, baseName(from));
}

/** Absolute path for "Copy Path", with the project's separator style. */
export function absolutePath(projectRoot: string, rel: string): string {
  const sep = projectRoot.includes("\\") && !projectRoot.includes("/") ? "\\" : "/";
  const root = projectRoot.replace(/[\\/]+$/, "");
  return rel ? `${root}${sep}${rel.split("/").join(sep)}` : root;
}
