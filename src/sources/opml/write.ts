/**
 * OPML 2.0 out: feeds nested in folder outlines. Written by hand rather than through an XML builder so that
 * every attribute value survives a round trip exactly (line breaks and tabs as character references, which
 * a reader would otherwise fold into spaces) and characters XML cannot carry are dropped (xml-text.ts), never
 * emitted.
 */
import { withoutNonXmlCharacters } from '../../xml-text.js';

export interface OpmlFeedOut {
  name: string;
  xmlUrl: string;
  /** Folder names, outermost first ([] = at the top level). */
  folders: readonly string[];
  /** The `category` attribute, "" for none. */
  category: string;
  /** Written as isComment="true": listed but switched off. */
  commented: boolean;
}

export interface OpmlOut {
  title: string;
  dateCreated: Date;
  feeds: readonly OpmlFeedOut[];
}

interface Folder {
  name: string;
  entries: Array<Folder | OpmlFeedOut>;
  folders: Map<string, Folder>;
}

export function writeOpml(document: OpmlOut): string {
  const root: Folder = { name: '', entries: [], folders: new Map() };
  // Folders appear where their first feed does; feeds of one folder are gathered into it.
  for (const feed of document.feeds) {
    let folder = root;
    for (const name of feed.folders) {
      let inner = folder.folders.get(name);
      if (!inner) {
        inner = { name, entries: [], folders: new Map() };
        folder.folders.set(name, inner);
        folder.entries.push(inner);
      }
      folder = inner;
    }
    folder.entries.push(feed);
  }
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeText(document.title)}</title>`,
    `    <dateCreated>${document.dateCreated.toUTCString()}</dateCreated>`,
    '    <docs>http://opml.org/spec2.opml</docs>',
    '  </head>',
    '  <body>',
  ];
  const write = (entries: Folder['entries'], depth: number) => {
    const indent = '  '.repeat(depth);
    for (const entry of entries) {
      if ('entries' in entry) {
        lines.push(
          `${indent}<outline${attributes([
            ['text', entry.name],
            ['title', entry.name],
          ])}>`,
        );
        write(entry.entries, depth + 1);
        lines.push(`${indent}</outline>`);
      } else {
        const pairs: Array<[string, string]> = [
          ['type', 'rss'],
          ['text', entry.name],
          ['title', entry.name],
          ['xmlUrl', entry.xmlUrl],
        ];
        if (entry.category) pairs.push(['category', entry.category]);
        if (entry.commented) pairs.push(['isComment', 'true']);
        lines.push(`${indent}<outline${attributes(pairs)}/>`);
      }
    }
  };
  write(root.entries, 2);
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}

function attributes(pairs: Array<[string, string]>): string {
  return pairs.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
}

function escapeText(value: string): string {
  return withoutNonXmlCharacters(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
