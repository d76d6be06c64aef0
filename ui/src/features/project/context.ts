// What the workbench's components share: the session, the command registry and its
// keybindings, notifications, and the palette's open request. Passed down as one prop.

import type { Session, Workspace } from "../../state/workspace";
import type { CommandRegistry } from "../../state/commands";
import type { Keybindings } from "../../state/keybindings";
import type { Notifier } from "../../state/notify";
import type { Writable } from "../../state/store";
import type { MonacoBuffers } from "../editor/buffers";
import type { SearchModel } from "../search/model";

export type PaletteMode = "commands" | "files" | "languages" | "symbols";

export interface Workbench {
  ws: Workspace<MonacoBuffers>;
  session: Session<MonacoBuffers>;
  commands: CommandRegistry;
  keys: Keybindings;
  notifier: Notifier;
  palette: Writable<PaletteMode | null>;
  /** The Search view's state (query, results, replace), kept while the view is hidden. */
  search: SearchModel;
  /** Shows the explorer and expands the folders above `path` (a trailing "/" expands `path` too). */
  reveal: (path: string) => void;
  /** Reports a failed operation as an error toast with its code. */
  fail: (what: string, e: unknown) => void;
}
