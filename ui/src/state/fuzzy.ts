// Subsequence fuzzy matching for the command palette (and the quick-open fallback).
// The real file ranking happens in Rust (nucleo); this only has to order a few hundred
// commands sensibly and say which letters matched, for highlighting.

export interface FuzzyMatch {
  score: number;
  /** Indices into the text of the matched characters, ascending. */
  indices: number[];
}

const SEPARATORS = new Set([" ", "/", "\\", "_", "-", ".", ":"]);

/** Null when `query`'s letters do not appear in order in `text` (case-insensitive). */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.replace(/\s+/g, "").toLowerCase();
  if (!q) return { score: 0, indices: [] };
  const t = text.toLowerCase();
  const indices: number[] = [];
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    // Prefer a word start ahead over the first occurrence: "gl" in "go to line" hits "l" of "line".
    let found = -1;
    for (let i = ti; i < t.length; i++) {
      if (t[i] !== ch) continue;
      if (found < 0) found = i;
      if (i === prev + 1) break; // keep a consecutive run going
      if (i === 0 || SEPARATORS.has(t[i - 1]!)) {
        found = i;
        break;
      }
    }
    if (found < 0) return null;
    const wordStart = found === 0 || SEPARATORS.has(t[found - 1]!);
    score += 1 + (found === prev + 1 ? 5 : 0) + (wordStart ? 3 : 0) - Math.min(found - ti, 5) * 0.1;
    indices.push(found);
    prev = found;
    ti = found + 1;
  }
  // Shorter texts rank higher among equal matches.
  return { score: score - t.length * 0.01, indices };
}

/** Items whose text matches, best first; stable for equal scores. */
export function fuzzyFilter<T>(query: string, items: T[], text: (item: T) => string): Array<{ item: T; match: FuzzyMatch }> {
  const out: Array<{ item: T; match: FuzzyMatch; i: number }> = [];
  items.forEach((item, i) => {
    const match = fuzzyMatch(query, text(item));
    if (match) out.push({ item, match, i });
  });
  if (query.trim()) out.sort((a, b) => b.match.score - a.match.score || a.i - b.i);
  return out.map(({ item, match }) => ({ item, match }));
}

/** Splits text into runs for rendering, marking matched characters. */
export function highlightRuns(text: string, indices: number[]): Array<{ text: string; hit: boolean }> {
  const hits = new Set(indices);
  const runs: Array<{ text: string; hit: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    const hit = hits.has(i);
    const last = runs[runs.length - 1];
    if (last && last.hit === hit) last.text += text[i];
    else runs.push({ text: text[i]!, hit });
  }
  return runs;
}
