// File name -> Monaco language id. Mirrors aura-core's `language_of` (crates/core/src/
// language.rs) and adds what Monaco highlights beyond it. Ids Monaco does not know
// (toml, makefile) map to the closest one it does, so they still get colour.

const BY_NAME: Record<string, string> = {
  dockerfile: "dockerfile",
  makefile: "shell",
  gnumakefile: "shell",
  "cargo.lock": "ini",
  ".gitignore": "shell",
  ".bashrc": "shell",
  ".env": "ini",
};

const BY_EXT: Record<string, string> = {
  rs: "rust",
  py: "python", pyw: "python", pyi: "python",
  js: "javascript", mjs: "javascript", cjs: "javascript", jsx: "javascript",
  ts: "typescript", mts: "typescript", cts: "typescript", tsx: "typescript",
  html: "html", htm: "html", vue: "html", svelte: "html",
  css: "css", scss: "scss", less: "less",
  json: "json", jsonc: "json",
  md: "markdown", markdown: "markdown",
  go: "go", java: "java", kt: "kotlin", kts: "kotlin",
  c: "c", h: "c",
  cc: "cpp", cpp: "cpp", cxx: "cpp", hpp: "cpp", hh: "cpp", hxx: "cpp",
  cs: "csharp", rb: "ruby", php: "php",
  sh: "shell", bash: "shell", zsh: "shell", ps1: "powershell",
  yml: "yaml", yaml: "yaml",
  toml: "ini", ini: "ini", cfg: "ini",
  sql: "sql", xml: "xml", svg: "xml",
  swift: "swift", lua: "lua", r: "r", dart: "dart", scala: "scala",
  ex: "elixir", exs: "elixir", fs: "fsharp", clj: "clojure", pl: "perl",
  graphql: "graphql", proto: "protobuf", sol: "solidity", bat: "bat",
  txt: "plaintext",
};

/** Monaco's language id for a project-relative path; "plaintext" when unknown. */
export function languageFor(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (BY_NAME[name]) return BY_NAME[name];
  const dot = name.lastIndexOf(".");
  if (dot < 0) return "plaintext";
  return BY_EXT[name.slice(dot + 1)] ?? "plaintext";
}

/** Distinct languages recognized by extension (the issue asks for at least 20). */
export function knownLanguages(): string[] {
  return [...new Set(Object.values(BY_EXT))].filter((l) => l !== "plaintext");
}
