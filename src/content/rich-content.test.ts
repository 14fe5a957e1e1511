/**
 * Benign rich content survives cleaning. testdata/rich/ holds pairs: <name>.input.html (as a publisher sends
 * it) and <name>.expected.html (what cleanHtml makes of it, read and checked by eye). UPDATE_GOLDEN=1
 * rewrites the expected files from the current cleaner; read the diff before keeping it.
 * Apart from the golden files, the structure is checked directly: the same elements in the same order
 * and the same text, whatever the attributes became. test/xss.test.ts renders the same set with Hexo in
 * Chromium.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { describe, expect, it } from 'vitest';
import { textOf } from '../../test/helpers/html.js';
import { cleanHtml } from './clean.js';
import { ALLOWED_ELEMENTS, RENAMED_ELEMENTS } from './policy.js';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const RICH_DIR = join(import.meta.dirname, 'testdata/rich');
const NAMES = readdirSync(RICH_DIR)
  .filter((name) => name.endsWith('.input.html'))
  .map((name) => name.slice(0, -'.input.html'.length))
  .sort();
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** As the pipeline cleans an item whose link is this URL (the xss test's feed uses the same links). */
function clean(name: string, html: string): string {
  return cleanHtml(html, { baseUrl: `https://news.example/rich/${name}`, images: { referrerPolicy: 'no-referrer', lazy: true } }).html;
}

function elementsOf(html: string): Element[] {
  const elements: Element[] = [];
  const visit = (node: Node) => {
    if ('tagName' in node) elements.push(node as Element);
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
  };
  visit(parseFragment(html));
  return elements;
}

const renamed = (tag: string) => RENAMED_ELEMENTS.get(tag) ?? tag;
const collapsed = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('benign rich content', () => {
  it('covers what news and blog feeds carry', () => {
    expect(NAMES).toEqual(
      expect.arrayContaining([
        'chinese-news',
        'code',
        'details',
        'embeds',
        'figures',
        'footnotes',
        'headings',
        'inline',
        'layout',
        'lists',
        'media',
        'legacy',
        'quotes',
        'ruby',
        'tables',
        'wordpress',
      ]),
    );
  });

  describe.each(NAMES)('%s', (name) => {
    const input = readFileSync(join(RICH_DIR, `${name}.input.html`), 'utf8');
    const output = clean(name, input);

    it('cleans to its golden file exactly', () => {
      const file = join(RICH_DIR, `${name}.expected.html`);
      if (UPDATE) writeFileSync(file, `${output}\n`);
      expect(`${output}\n`).toBe(readFileSync(file, 'utf8'));
    });

    it('holds only elements the policy keeps (it is benign)', () => {
      const removed = elementsOf(input)
        .map((element) => element.tagName)
        .filter((tag) => !ALLOWED_ELEMENTS.has(renamed(tag)));
      expect(removed).toEqual([]);
    });

    it('keeps every element in order (obsolete ones renamed) and all of the text', () => {
      expect(elementsOf(output).map((element) => element.tagName)).toEqual(elementsOf(input).map((element) => renamed(element.tagName)));
      // Whitespace between blocks may fold (no blank lines in a post); everything else stays.
      expect(collapsed(textOf(parseFragment(output)))).toBe(collapsed(textOf(parseFragment(input))));
      const preformatted = (html: string) =>
        elementsOf(html)
          .filter((element) => element.tagName === 'pre' || element.tagName === 'listing')
          .map((element) => textOf(element));
      expect(preformatted(output)).toEqual(preformatted(input));
    });

    it('is stable: cleaning its own output changes nothing', () => {
      expect(clean(name, output)).toBe(output);
    });
  });
});
