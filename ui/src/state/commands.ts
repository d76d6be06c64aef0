// The command registry behind the palette and the keybindings: every user action has an
// id, a title and a run function, so anything clickable is also reachable by keyboard.

import { fuzzyFilter, type FuzzyMatch } from "./fuzzy";

export interface Command {
  id: string;
  title: string;
  /** Shown before the title in the palette ("View", "File", ...). */
  category?: string;
  run: () => void | Promise<void>;
  /** Hidden from the palette and ignored by keybindings while false. */
  enabled?: () => boolean;
}

export class CommandRegistry {
  private cmds = new Map<string, Command>();

  register(...cmds: Command[]): () => void {
    for (const c of cmds) this.cmds.set(c.id, c);
    return () => {
      for (const c of cmds) if (this.cmds.get(c.id) === c) this.cmds.delete(c.id);
    };
  }

  get(id: string): Command | undefined {
    return this.cmds.get(id);
  }

  list(): Command[] {
    return [...this.cmds.values()].filter((c) => c.enabled?.() ?? true);
  }

  /** Runs a command by id; false when it is unknown or disabled. */
  run(id: string): boolean {
    const c = this.cmds.get(id);
    if (!c || !(c.enabled?.() ?? true)) return false;
    void c.run();
    return true;
  }
}

export function label(c: Command): string {
  return c.category ? `${c.category}: ${c.title}` : c.title;
}

/** The palette's list: fuzzy over "Category: Title", sorted by title for an empty query. */
export function filterCommands(query: string, cmds: Command[]): Array<{ item: Command; match: FuzzyMatch }> {
  const sorted = [...cmds].sort((a, b) => label(a).localeCompare(label(b)));
  return fuzzyFilter(query, sorted, label);
}
