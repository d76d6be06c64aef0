// File-type glyphs drawn with CSS (a coloured badge with a short label): local, tiny,
// and no icon font or remote asset.

export interface Glyph {
  label: string;
  color: string;
}

const BY_EXT: Record<string, Glyph> = {
  rs: { label: "RS", color: "#dea584" },
  py: { label: "PY", color: "#3572a5" },
  js: { label: "JS", color: "#d6b400" },
  mjs: { label: "JS", color: "#d6b400" },
  cjs: { label: "JS", color: "#d6b400" },
  jsx: { label: "JX", color: "#d6b400" },
  ts: { label: "TS", color: "#3178c6" },
  tsx: { label: "TX", color: "#3178c6" },
  svelte: { label: "SV", color: "#ff3e00" },
  vue: { label: "VU", color: "#41b883" },
  html: { label: "<>", color: "#e34c26" },
  css: { label: "#", color: "#563d7c" },
  scss: { label: "#", color: "#c6538c" },
  json: { label: "{}", color: "#cb8e00" },
  md: { label: "M↓", color: "#519aba" },
  toml: { label: "TM", color: "#9c4221" },
  yml: { label: "YM", color: "#cb171e" },
  yaml: { label: "YM", color: "#cb171e" },
  go: { label: "GO", color: "#00add8" },
  java: { label: "JV", color: "#b07219" },
  kt: { label: "KT", color: "#a97bff" },
  c: { label: "C", color: "#555555" },
  h: { label: "H", color: "#555555" },
  cpp: { label: "C+", color: "#f34b7d" },
  cs: { label: "C#", color: "#178600" },
  rb: { label: "RB", color: "#cc342d" },
  php: { label: "PH", color: "#4f5d95" },
  sh: { label: "$", color: "#4eaa25" },
  sql: { label: "SQ", color: "#e38c00" },
  xml: { label: "<>", color: "#0060ac" },
  svg: { label: "SV", color: "#ffb13b" },
  txt: { label: "≡", color: "#888888" },
  lock: { label: "🔒", color: "#888888" },
  png: { label: "IM", color: "#a074c4" },
  jpg: { label: "IM", color: "#a074c4" },
  gif: { label: "IM", color: "#a074c4" },
  zip: { label: "ZP", color: "#888888" },
};

const BY_NAME: Record<string, Glyph> = {
  dockerfile: { label: "DK", color: "#384d54" },
  makefile: { label: "MK", color: "#427819" },
  ".gitignore": { label: "GI", color: "#f14e32" },
  license: { label: "©", color: "#888888" },
};

const PLAIN: Glyph = { label: "·", color: "#888888" };

export function glyphFor(name: string): Glyph {
  const lower = name.toLowerCase();
  if (BY_NAME[lower]) return BY_NAME[lower];
  const dot = lower.lastIndexOf(".");
  return (dot > 0 && BY_EXT[lower.slice(dot + 1)]) || PLAIN;
}
