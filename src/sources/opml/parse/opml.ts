/**
 * OPML (1.0 and 2.0, as Miniflux, FreshRSS, Feedly, Inoreader, NetNewsWire and others export it) read into
 * its outline tree, then flattened into the feeds it lists with the folders each sits in.
 */
import { parseXml, XmlSyntaxError, type XmlElement } from './xml.js';

export interface OpmlOutline {
  text: string;
  title: string;
  xmlUrl: string;
  htmlUrl: string;
  type: string;
  /** OPML 2.0's `category`: comma-separated, slash-delimited paths such as "/Tech/Blogs". */
  category: string;
  /** OPML 2.0's `isComment="true"`: commented out, and so is everything under it. */
  isComment: boolean;
  line: number;
  children: OpmlOutline[];
}

export interface OpmlDocument {
  title: string;
  outlines: OpmlOutline[];
}

/** Not an OPML file, or one that cannot be read; `line` is 1-based when the problem has a place. */
export class OpmlError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'OpmlError';
  }
}

export interface OpmlLimits {
  /** Most outlines (feeds and folders) a file may have. */
  maxOutlines: number;
}

export function parseOpml(text: string, limits: OpmlLimits = { maxOutlines: 10_000 }): OpmlDocument {
  let root: XmlElement;
  try {
    // Elements other than outlines are few (head fields); the margin keeps the outline limit the one users meet.
    root = parseXml(text, { maxElements: limits.maxOutlines * 2 + 1000 });
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      throw new OpmlError(`not well-formed XML: ${error.message}`, error.line, error.column);
    }
    throw error;
  }
  const rootName = root.name.toLowerCase();
  if (rootName !== 'opml') throw new OpmlError(notOpml(rootName), root.line, root.column);
  const body = root.children.find((child) => child.name.toLowerCase() === 'body');
  if (!body)
    throw new OpmlError(
      'no <body> in <opml>: an OPML file lists its subscriptions as <outline> elements in <body>',
      root.line,
      root.column,
    );
  const head = root.children.find((child) => child.name.toLowerCase() === 'head');
  const title = head?.children.find((child) => child.name.toLowerCase() === 'title')?.text.trim() ?? '';

  let count = 0;
  const outlines = (element: XmlElement): OpmlOutline[] =>
    element.children
      .filter((child) => child.name.toLowerCase() === 'outline')
      .map((child) => {
        if (++count > limits.maxOutlines) {
          throw new OpmlError(
            `more than ${limits.maxOutlines} outlines: newsstand imports at most that many at once — split the file and import each part`,
            child.line,
            child.column,
          );
        }
        const attribute = (name: string) => child.attributes.get(name)?.trim() ?? '';
        return {
          text: attribute('text'),
          title: attribute('title'),
          xmlUrl: attribute('xmlurl'),
          htmlUrl: attribute('htmlurl'),
          type: attribute('type'),
          category: attribute('category'),
          isComment: attribute('iscomment').toLowerCase() === 'true',
          line: child.line,
          children: outlines(child),
        };
      });
  return { title, outlines: outlines(body) };
}

function notOpml(rootName: string): string {
  if (rootName === 'rss' || rootName === 'feed' || rootName === 'rdf:rdf') {
    return `this is a feed (<${rootName}>), not an OPML subscription list — add it with "newsstand add URL" or a "file:" source`;
  }
  if (rootName === 'html') return 'this is an HTML page, not an OPML subscription list';
  return `the root element is <${rootName}>, not <opml>: this is not an OPML subscription list`;
}

/** A feed the OPML lists, with the folders (outermost first) it sits in. */
export interface OpmlFeed {
  /** `text`, else `title`, whitespace collapsed; "" when the outline has neither. */
  name: string;
  xmlUrl: string;
  htmlUrl: string;
  category: string;
  folders: string[];
  /** Commented out (`isComment`), itself or through a folder. */
  commented: boolean;
  line: number;
}

/** An outline that is neither a feed nor a folder of feeds, and why it was left out. */
export interface OutlineProblem {
  line: number;
  name: string;
  reason: string;
}

/**
 * The feeds of an OPML document in document order: every outline with an `xmlUrl` is a feed; an outline
 * with children is a folder. Outlines that are neither are reported, not dropped silently.
 */
export function opmlFeeds(document: OpmlDocument): { feeds: OpmlFeed[]; problems: OutlineProblem[] } {
  const feeds: OpmlFeed[] = [];
  const problems: OutlineProblem[] = [];
  const visit = (outline: OpmlOutline, folders: string[], commented: boolean) => {
    const name = displayName(outline);
    const isCommented = commented || outline.isComment;
    if (outline.xmlUrl) {
      feeds.push({
        name,
        xmlUrl: outline.xmlUrl,
        htmlUrl: outline.htmlUrl,
        category: outline.category,
        folders,
        commented: isCommented,
        line: outline.line,
      });
    } else if (outline.children.length === 0) {
      problems.push({ line: outline.line, name, reason: leafProblem(outline) });
    }
    // Children of a feed outline are unusual; they are read as if the feed were their folder.
    const inner = name ? [...folders, name] : folders;
    for (const child of outline.children) visit(child, inner, isCommented);
  };
  for (const outline of document.outlines) visit(outline, [], false);
  return { feeds, problems };
}

function leafProblem(outline: OpmlOutline): string {
  const type = outline.type.toLowerCase();
  if (type === 'include') return 'includes another OPML file (type="include"), which is not followed — import that file too';
  if (type === 'link' || outline.htmlUrl) return 'a link to a web page, not a feed (no xmlUrl) — "newsstand add URL" finds a page\'s feed';
  return 'no xmlUrl: not a feed (an empty folder, or a note)';
}

function displayName(outline: OpmlOutline): string {
  return (outline.text || outline.title).replace(/\s+/g, ' ').trim();
}
