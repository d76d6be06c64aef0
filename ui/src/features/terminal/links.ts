// file:line references in terminal output (compiler errors, stack traces, grep -n):
// `src/main.rs:12:5`, `./a.py:3`, `File "x.py", line 7`, `/abs/path/file.ts(4,2)`.
// Pure, so it is tested without a terminal.

export interface FileLink {
  /** 0-based offsets into the line, end exclusive. */
  start: number;
  end: number;
  path: string;
  line: number;
  column: number | null;
}

// A path: an optional ./ or / prefix, then segments of word characters, dots and dashes,
// with an extension (so `12:30` or `http:` are not taken for files).
const PATH = String.raw`(?:\.{0,2}\/)?(?:[\w.@+-]+\/)*[\w@+-][\w.@+-]*\.[A-Za-z][\w]*`;
const COLON = new RegExp(String.raw`(${PATH}):(\d+)(?::(\d+))?`, "g");
const PAREN = new RegExp(String.raw`(${PATH})\((\d+)(?:,(\d+))?\)`, "g");
const PYTHON = /File "([^"]+)", line (\d+)/g;

export function findFileLinks(text: string): FileLink[] {
  const out: FileLink[] = [];
  const add = (m: RegExpExecArray, pathGroup: number, lineGroup: number, colGroup: number | null, pathStart: number) => {
    const path = m[pathGroup]!;
    const line = Number(m[lineGroup]);
    if (!Number.isFinite(line) || line < 1) return;
    const col = colGroup !== null && m[colGroup] ? Number(m[colGroup]) : null;
    const start = pathStart;
    const end = m.index + m[0].length;
    if (out.some((l) => start < l.end && end > l.start)) return;
    out.push({ start, end, path, line, column: col });
  };
  for (const m of text.matchAll(PYTHON)) add(m as RegExpExecArray, 1, 2, null, m.index! + m[0].indexOf('"') + 1);
  for (const m of text.matchAll(COLON)) add(m as RegExpExecArray, 1, 2, 3, m.index!);
  for (const m of text.matchAll(PAREN)) add(m as RegExpExecArray, 1, 2, 3, m.index!);
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The project-relative path a link names, or null when it points outside the project.
 * `root` is the project folder (absolute, no trailing slash); `cwd` the terminal's folder
 * relative to it ("" for the root).
 */
export function toProjectPath(linkPath: string, root: string, cwd = ""): string | null {
  let abs: string;
  if (linkPath.startsWith("/")) abs = linkPath;
  else abs = [root, cwd, linkPath].filter((p) => p !== "").join("/");
  const parts: string[] = [];
  for (const seg of abs.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  const norm = "/" + parts.join("/");
  if (norm === root || !norm.startsWith(root + "/")) return null;
  return norm.slice(root.length + 1);
}
