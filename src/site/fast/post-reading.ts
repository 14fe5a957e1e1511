import { createRequire } from 'node:module';
import type Hexo from 'hexo';
import { readWrittenFrontMatter } from '../../post/front-matter.js';

const require = createRequire(import.meta.url);

/**
 * Hexo reads a post through two general machines: js-yaml for its front matter, marked for its body. A post
 * newsstand wrote needs neither: its front matter is in the few forms renderFrontMatter writes, and its body is
 * one HTML block (post-text.ts), which marked hands on as it is. At 20,000 posts the two cost ~2 s of CPU (js-yaml
 * ~40 µs a post, hexo-renderer-marked ~55 µs). Here each text in those forms is read directly, with the result the
 * machine gives it, and every other text still goes to the machine. post-reading.test.ts holds both to what
 * Hexo's own reading makes, and fails when a Hexo or plugin upgrade stops calling what is replaced.
 */
export function readOwnPostsDirectly(hexo: Hexo): void {
  readWrittenFrontMatterDirectly();
  passHtmlBlocksThrough(hexo);
}

type FrontMatterParse = ((text: string, options?: unknown) => Record<string, unknown>) & { [DIRECT]?: true };
interface FrontMatterModule {
  parse: FrontMatterParse;
  split(text: string): { data?: string; content: string; separator?: string };
}
const DIRECT = Symbol('newsstand: read directly');

/**
 * Hexo's post processor reads front matter with hexo-front-matter's `parse`, looked up on the module at each call
 * (hexo/dist/plugins/processor/post.js). The module is Hexo's own copy, shared by every Hexo in the process; the
 * answers are the same, so the change stays.
 */
function readWrittenFrontMatterDirectly(): void {
  const frontMatter = createRequire(require.resolve('hexo'))('hexo-front-matter') as FrontMatterModule;
  const original = frontMatter.parse;
  if (original[DIRECT]) return;
  const parse: FrontMatterParse = (text, options) => {
    const split = options === undefined ? frontMatter.split(text) : null;
    const data = split?.data && split.separator?.startsWith('-') ? readWrittenFrontMatter(split.data) : null;
    if (!data) return original(text, options);
    data._content = split!.content;
    return data;
  };
  frontMatter.parse = Object.assign(parse, { [DIRECT]: true as const });
}

type Render = ((this: Hexo, data: { text: string }, options?: Record<string, unknown>) => unknown) & {
  output?: string;
  disableNunjucks?: boolean;
};

/** The filters through which a site's plugins change what hexo-renderer-marked makes (hexo-renderer-marked 7). */
const MARKED_FILTERS = ['marked:use', 'marked:renderer', 'marked:tokenizer', 'marked:extensions'];
/** Settings under which marked or the renderer makes something else of an HTML block (see below). */
const CHANGING_SETTINGS = ['pedantic', 'async', 'dompurify'];

/**
 * hexo-renderer-marked renders a body that is one HTML block (htmlBlockAsRendered) as the block itself, unless the
 * site changes marked (a filter above, `pedantic`, which reads HTML blocks otherwise, `async`) or sanitizes what it
 * makes (`dompurify`). Such a body is handed on directly; every other text, and every text of such a site, goes to
 * the renderer as before. Only the renderer newsstand bundles is replaced, for each extension it is registered for.
 */
function passHtmlBlocksThrough(hexo: Hexo): void {
  const rendererPath = require.resolve('hexo-renderer-marked/lib/renderer.js');
  const markedRender = require(rendererPath) as Render;
  const { marked } = createRequire(rendererPath)('marked') as { marked: { defaults: Record<string, unknown> } };
  const renderers = hexo.extend.renderer;
  const filters = hexo.extend.filter;
  const changesMarked = (options: Record<string, unknown> | undefined) => {
    const config = hexo.config.marked as Record<string, unknown> | undefined;
    // As the renderer hands them to marked: its options over the site's settings over marked's defaults.
    const setting = (key: string) =>
      options && key in options ? options[key] : config && key in config ? config[key] : marked.defaults[key];
    return CHANGING_SETTINGS.some(setting) || MARKED_FILTERS.some((name) => filters.list(name).length > 0);
  };
  // Once replaced, the registered renderer is no longer the bundled one: a second call changes nothing.
  for (const [name, render] of Object.entries(renderers.list(true) as Record<string, Render>)) {
    if (render !== markedRender) continue;
    const direct: Render = function (data, options) {
      const block = typeof data.text === 'string' ? htmlBlockAsRendered(data.text) : null;
      return block !== null && !changesMarked(options) ? block : render.call(this, data, options);
    };
    direct.disableNunjucks = render.disableNunjucks;
    renderers.register(name, render.output ?? 'html', direct as never, true);
  }
}

/**
 * What marked makes of a text that is one HTML block opened by a `<div>` line (post-text.ts): the block as it is,
 * without the empty lines before it (read as space, which renders as nothing). Marked's block of that kind runs to
 * the first blank line, so a text with one is marked's to read, as is any other text: null.
 */
export function htmlBlockAsRendered(text: string): string | null {
  let start = 0;
  while (text.charCodeAt(start) === 10) start++;
  const block = start === 0 ? text : text.slice(start);
  return DIV_LINE.test(block) && !block.includes('\r') && !BLANK_LINE.test(block) ? block : null;
}

const DIV_LINE = /^<div>[ \t]*\n/;
const BLANK_LINE = /\n[ \t]*\n/;
