// @mentions in the chat input: `@path` adds a file as context, `@codebase` asks for
// retrieval. While typing after an `@`, the word so far drives a fuzzy file list.

export const CODEBASE = "codebase";

/** The `@word` being typed at `caret`, with where it starts; null when not in one. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  let i = caret;
  while (i > 0 && !/\s/.test(text[i - 1]!)) i--;
  if (text[i] !== "@") return null;
  return { start: i, query: text.slice(i + 1, caret) };
}

/** Replaces the mention being typed with `@value ` and returns the new text and caret. */
export function completeMention(text: string, caret: number, value: string): { text: string; caret: number } {
  const m = mentionAt(text, caret);
  if (!m) return { text, caret };
  const insert = `@${value} `;
  const next = text.slice(0, m.start) + insert + text.slice(caret);
  return { text: next, caret: m.start + insert.length };
}

/** The files and flags a message mentions. */
export function parseMentions(text: string): { files: string[]; codebase: boolean } {
  const files: string[] = [];
  let codebase = false;
  for (const m of text.matchAll(/(?:^|\s)@([^\s@]+)/g)) {
    const word = m[1]!.replace(/[,.;:?!)]+$/, "");
    if (word === CODEBASE) codebase = true;
    else if (word && !files.includes(word)) files.push(word);
  }
  return { files, codebase };
}
