// Keybinding registry: chords as strings ("Mod+Shift+P"), matched against keyboard
// events. Framework-free so it can be unit tested; the window installs one listener.
// "Mod" means Cmd on macOS and Ctrl elsewhere, like VS Code's "CtrlCmd".

/** The parts of a KeyboardEvent the registry looks at (tests pass plain objects). */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export interface Chord {
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
  /** Upper-case letter, digit, or a named key ("Enter", "F2", "\\", ...). */
  key: string;
}

export interface Binding {
  command: string;
  chord: string;
  /** Where the binding applies; absent means everywhere. */
  when?: (ctx: KeyContext) => boolean;
}

/** What a `when` clause may ask about the focus. */
export interface KeyContext {
  /** Focus is in a text input or textarea outside the editor. */
  inInput: boolean;
  /** Focus is inside a Monaco editor. */
  inEditor: boolean;
}

// Letters and digits come from `code`, so Shift or a keyboard layout's dead keys do not
// change what a chord means ("Ctrl+Shift+P" has key "P", not "p" or "π").
const CODE_KEYS: Record<string, string> = {
  Backslash: "\\",
  Backquote: "`",
  Comma: ",",
  Period: ".",
  Slash: "/",
  Minus: "-",
  Equal: "=",
  BracketLeft: "[",
  BracketRight: "]",
  Semicolon: ";",
  Quote: "'",
};

const ALIASES: Record<string, string> = { esc: "Escape", del: "Delete", space: " ", plus: "+" };

function normKey(k: string): string {
  const alias = ALIASES[k.toLowerCase()];
  if (alias) return alias;
  return k.length === 1 ? k.toUpperCase() : k[0]!.toUpperCase() + k.slice(1);
}

export function parseChord(text: string, isMac: boolean): Chord {
  const c: Chord = { ctrl: false, shift: false, alt: false, meta: false, key: "" };
  // Split on "+" but allow "+" itself as the final key ("Ctrl++").
  const parts = text.endsWith("++") ? [...text.slice(0, -2).split("+"), "+"] : text.split("+");
  for (const raw of parts) {
    const p = raw.trim().toLowerCase();
    if (p === "mod") (isMac ? (c.meta = true) : (c.ctrl = true));
    else if (p === "ctrl" || p === "control") c.ctrl = true;
    else if (p === "shift") c.shift = true;
    else if (p === "alt" || p === "option") c.alt = true;
    else if (p === "cmd" || p === "meta" || p === "super") c.meta = true;
    else c.key = normKey(raw.trim());
  }
  if (!c.key) throw new Error(`chord without a key: ${text}`);
  return c;
}

export function chordFromEvent(e: KeyLike): Chord {
  let key = e.key;
  const code = e.code ?? "";
  if (/^Key[A-Z]$/.test(code)) key = code.slice(3);
  else if (/^Digit[0-9]$/.test(code)) key = code.slice(5);
  else if (CODE_KEYS[code]) key = CODE_KEYS[code];
  return { ctrl: e.ctrlKey, shift: e.shiftKey, alt: e.altKey, meta: e.metaKey, key: normKey(key) };
}

export function chordId(c: Chord): string {
  return `${c.ctrl ? "C" : ""}${c.shift ? "S" : ""}${c.alt ? "A" : ""}${c.meta ? "M" : ""}:${c.key}`;
}

/** Display text: "Ctrl+Shift+P" elsewhere, "⇧⌘P" on macOS. */
export function formatChord(text: string, isMac: boolean): string {
  const c = parseChord(text, isMac);
  const key = c.key === " " ? "Space" : c.key;
  if (isMac) return `${c.ctrl ? "⌃" : ""}${c.alt ? "⌥" : ""}${c.shift ? "⇧" : ""}${c.meta ? "⌘" : ""}${key}`;
  return [c.ctrl && "Ctrl", c.shift && "Shift", c.alt && "Alt", c.meta && "Super", key].filter(Boolean).join("+");
}

export class Keybindings {
  private byChord = new Map<string, Binding[]>();
  private byCommand = new Map<string, string[]>();

  constructor(private readonly isMac: boolean) {}

  add(command: string, chord: string, when?: Binding["when"]): void {
    const id = chordId(parseChord(chord, this.isMac));
    const list = this.byChord.get(id) ?? [];
    // Later registrations win, so a feature can override a default.
    list.unshift({ command, chord, when });
    this.byChord.set(id, list);
    this.byCommand.set(command, [...(this.byCommand.get(command) ?? []), chord]);
  }

  /** The command bound to this event in this context, if any. */
  match(e: KeyLike, ctx: KeyContext): string | null {
    const list = this.byChord.get(chordId(chordFromEvent(e)));
    return list?.find((b) => !b.when || b.when(ctx))?.command ?? null;
  }

  /** The first chord of a command, formatted for this platform, or "". */
  label(command: string): string {
    const chord = this.byCommand.get(command)?.[0];
    return chord ? formatChord(chord, this.isMac) : "";
  }

  all(): Array<{ command: string; chord: string }> {
    return [...this.byCommand].flatMap(([command, chords]) => chords.map((chord) => ({ command, chord })));
  }
}

export function isMacPlatform(): boolean {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}
