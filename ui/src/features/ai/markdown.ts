// Chat answers as HTML: Markdown through marked, then DOMPurify, so a model (or a file it
// quotes) can never inject script or handlers. Code blocks get Copy / Insert at cursor /
// Apply as diff buttons; their text is kept aside (`blocks`) rather than read back out
// of the DOM.

import { Marked, type Tokens } from "marked";
import DOMPurify from "dompurify";

export interface CodeBlock {
  lang: string;
  code: string;
}

export interface Rendered {
  html: string;
  blocks: CodeBlock[];
}

export type Sanitizer = (html: string) => string;

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export const purify: Sanitizer = (html) => DOMPurify.sanitize(html, { ADD_ATTR: ["data-act", "data-block"], FORBID_TAGS: ["style", "form", "input"] });

/** Renders `md`; `sanitize` is DOMPurify in the app (tests without a DOM pass their own). */
export function renderMarkdown(md: string, sanitize: Sanitizer = purify): Rendered {
  const blocks: CodeBlock[] = [];
  const marked = new Marked({
    gfm: true,
    breaks: false,
    renderer: {
      code(token: Tokens.Code) {
        const i = blocks.length;
        const lang = (token.lang ?? "").trim().split(/\s+/)[0] ?? "";
        blocks.push({ lang, code: token.text });
        const cls = lang ? ` class="language-${escapeHtml(lang)}"` : "";
        return (
          `<div class="code-block" data-block="${i}">` +
          `<div class="code-tools">` +
          `<span class="lang">${escapeHtml(lang)}</span>` +
          `<button type="button" data-act="copy" data-block="${i}">Copy</button>` +
          `<button type="button" data-act="insert" data-block="${i}">Insert at cursor</button>` +
          `<button type="button" data-act="apply" data-block="${i}">Apply as diff</button>` +
          `</div><pre><code${cls}>${escapeHtml(token.text)}</code></pre></div>`
        );
      },
    },
  });
  const html = marked.parse(md, { async: false });
  return { html: sanitize(html), blocks };
}

/** `path:12-20` citations in an answer's text, to make them clickable. */
export function findCitations(text: string): Array<{ path: string; line: number }> {
  const out: Array<{ path: string; line: number }> = [];
  const re = /([\w./-]+\.[A-Za-z0-9]+):(\d+)(?:-(\d+))?/g;
  for (const m of text.matchAll(re)) out.push({ path: m[1]!, line: Number(m[2]) });
  return out;
}
