import { hash } from 'node:crypto';
import { renderFrontMatter, type PostFrontMatter } from './front-matter.js';

/**
 * A whole post: front matter, then the cleaned HTML inside one `<div>`. The body's HTML is already inert
 * for Hexo (content/escape.ts), and the `<div>` opens the Markdown HTML block that carries it through
 * the Markdown renderer untouched.
 */
export function renderPost(frontMatter: PostFrontMatter, html: string): string {
  return `${renderFrontMatter(frontMatter)}\n<div>\n${html}\n</div>\n`;
}

/** What the state remembers of a post's text, to know whether writing it again would change it. */
export function postHash(text: string): string {
  return hash('sha256', text, 'hex').slice(0, 32);
}
