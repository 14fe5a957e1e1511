import { createRequire } from 'node:module';
import type { FeedItem } from '../item.js';

// Required on first use: most sources convert nothing, and the dictionaries cost start-up time.
const require = createRequire(import.meta.url);

/**
 * OpenCC conversions as newsstand.yml names them (OpenCC's own config names, e.g. `t2s`), mapped to the
 * opencc-js locales: cn simplified, t traditional (OpenCC standard), tw Taiwan, twp Taiwan with phrases,
 * hk Hong Kong, jp Japanese shinjitai.
 */
const LOCALES: Record<string, { from: string; to: string }> = {
  s2t: { from: 'cn', to: 't' },
  t2s: { from: 't', to: 'cn' },
  s2tw: { from: 'cn', to: 'tw' },
  tw2s: { from: 'tw', to: 'cn' },
  s2hk: { from: 'cn', to: 'hk' },
  hk2s: { from: 'hk', to: 'cn' },
  s2twp: { from: 'cn', to: 'twp' },
  tw2sp: { from: 'twp', to: 'cn' },
  t2tw: { from: 't', to: 'tw' },
  tw2t: { from: 'tw', to: 't' },
  t2hk: { from: 't', to: 'hk' },
  hk2t: { from: 'hk', to: 't' },
  t2jp: { from: 't', to: 'jp' },
  jp2t: { from: 'jp', to: 't' },
};

// Building a converter loads its dictionaries (tens of milliseconds): once per conversion per process.
const converters = new Map<string, (text: string) => string>();

/** The text converter for an OpenCC conversion name, or null for "" (no conversion). */
export function chineseConverter(conversion: string): ((text: string) => string) | null {
  if (!conversion) return null;
  const locales = LOCALES[conversion];
  if (!locales) throw new Error(`unknown OpenCC conversion ${JSON.stringify(conversion)}`);
  let converter = converters.get(conversion);
  if (!converter) {
    const { Converter } = require('opencc-js') as typeof import('opencc-js');
    const convert = Converter(locales);
    // Text without a single CJK character has nothing to convert: skip the dictionary walk.
    converter = (text) => (/[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u.test(text) ? convert(text) : text);
    converters.set(conversion, converter);
  }
  return converter;
}

/**
 * An item with the text it shows as plain text converted: title, author and the feed's own categories. The
 * HTML (content, summary) is left to cleanHtml, which converts its text nodes only, and links, guids, dates
 * and images are never touched. With no converter, the item itself.
 */
export function convertItemText(item: FeedItem, convert: ((text: string) => string) | null | undefined): FeedItem {
  if (!convert) return item;
  return {
    ...item,
    title: convert(item.title),
    author: convert(item.author),
    categories: item.categories.map((category) => convert(category)),
  };
}
