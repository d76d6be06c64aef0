// Explorer keyboard navigation as a pure function: given the visible rows, the selected
// path and a key, what should happen. The component carries the action out.

import type { DirEntry } from "../ipc/bindings";
import { parentOf } from "./paths";
import type { TreeRow } from "./tree";

export type TreeKeyAction =
  | { kind: "select"; path: string }
  | { kind: "toggle"; path: string }
  | { kind: "open"; entry: DirEntry }
  | { kind: "rename"; path: string }
  | { kind: "delete"; path: string };

export function treeKey(key: string, rows: TreeRow[], selected: string | null, isExpanded: (dir: string) => boolean): TreeKeyAction | null {
  const i = rows.findIndex((r) => r.entry.path === selected);
  const cur = rows[i]?.entry;
  const at = (j: number): TreeKeyAction | null => {
    const r = rows[Math.max(0, Math.min(rows.length - 1, j))];
    return r ? { kind: "select", path: r.entry.path } : null;
  };
  switch (key) {
    case "ArrowDown":
      return at(i + 1);
    case "ArrowUp":
      return at(i < 0 ? 0 : i - 1);
    case "Home":
      return at(0);
    case "End":
      return at(rows.length - 1);
    case "ArrowRight":
      if (cur?.kind !== "Dir") return null;
      return isExpanded(cur.path) ? at(i + 1) : { kind: "toggle", path: cur.path };
    case "ArrowLeft":
      if (!cur) return null;
      if (cur.kind === "Dir" && isExpanded(cur.path)) return { kind: "toggle", path: cur.path };
      return parentOf(cur.path) ? { kind: "select", path: parentOf(cur.path) } : null;
    case "Enter":
      return cur ? { kind: "open", entry: cur } : null;
    case "F2":
      return cur ? { kind: "rename", path: cur.path } : null;
    case "Delete":
      return cur ? { kind: "delete", path: cur.path } : null;
    default:
      return null;
  }
}
