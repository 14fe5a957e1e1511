/**
 * The allowlist: what third-party HTML may keep when published on the user's site. Anything not named
 * here is unwrapped (its children kept) or, for the elements below that carry code or UI, dropped whole.
 */

/** Elements kept, with the attributes each may carry besides the global ones. */
export const ALLOWED_ELEMENTS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    a: ['href', 'hreflang'],
    abbr: [],
    address: [],
    article: [],
    aside: [],
    audio: ['src', 'controls', 'loop', 'muted', 'preload'],
    b: [],
    bdi: [],
    bdo: [],
    blockquote: ['cite'],
    br: [],
    caption: [],
    cite: [],
    code: [],
    col: ['span'],
    colgroup: ['span'],
    dd: [],
    del: ['cite', 'datetime'],
    details: ['open'],
    dfn: [],
    div: [],
    dl: [],
    dt: [],
    em: [],
    figcaption: [],
    figure: [],
    footer: [],
    h1: [],
    h2: [],
    h3: [],
    h4: [],
    h5: [],
    h6: [],
    header: [],
    hgroup: [],
    hr: [],
    i: [],
    iframe: ['src', 'width', 'height', 'allowfullscreen'],
    img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height'],
    ins: ['cite', 'datetime'],
    kbd: [],
    li: ['value'],
    main: [],
    mark: [],
    nav: [],
    ol: ['start', 'reversed', 'type'],
    p: [],
    picture: [],
    pre: [],
    q: ['cite'],
    rp: [],
    rt: [],
    ruby: [],
    s: [],
    samp: [],
    section: [],
    small: [],
    source: ['src', 'srcset', 'sizes', 'type', 'media'],
    span: [],
    strike: [],
    strong: [],
    sub: [],
    summary: [],
    sup: [],
    table: [],
    tbody: [],
    td: ['colspan', 'rowspan', 'headers'],
    tfoot: [],
    th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
    thead: [],
    time: ['datetime'],
    tr: [],
    track: ['src', 'kind', 'srclang', 'label', 'default'],
    tt: [],
    u: [],
    ul: [],
    var: [],
    video: ['src', 'poster', 'controls', 'loop', 'muted', 'playsinline', 'preload', 'width', 'height'],
    wbr: [],
  }).map(([tag, attributes]) => [tag, new Set(attributes)]),
);

/** Attributes any kept element may carry. `class` helps themes align WordPress-style figures; `id` is prefixed. */
export const GLOBAL_ATTRIBUTES: ReadonlySet<string> = new Set(['title', 'lang', 'dir', 'class', 'id']);

/** Obsolete elements written as their modern equivalent, so the structure they give survives. */
export const RENAMED_ELEMENTS: ReadonlyMap<string, string> = new Map([
  ['center', 'div'],
  ['dir', 'ul'],
  ['menu', 'ul'],
  ['listing', 'pre'],
]);

/** Elements removed together with everything inside them. */
export const DROPPED_WITH_CONTENT: ReadonlySet<string> = new Set([
  'script', 'style', 'noscript', 'template', 'object', 'embed', 'applet', 'frame', 'frameset', 'noframes',
  'head', 'title', 'base', 'meta', 'link', 'input', 'button', 'select', 'textarea', 'option', 'optgroup',
  'datalist', 'output', 'progress', 'meter', 'dialog', 'canvas', 'map', 'area', 'portal', 'param',
  'xmp', 'plaintext', 'noembed', 'svg', 'math',
]);

/** Attributes whose values are URLs and are made absolute and scheme-checked. */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set(['href', 'src', 'cite', 'poster']);

/** Hosts whose players may be embedded in an iframe (sandboxed) unless `embeds` in newsstand.yml says otherwise. */
export const DEFAULT_EMBED_HOSTS: readonly string[] = [
  'www.youtube.com',
  'youtube.com',
  'www.youtube-nocookie.com',
  'player.vimeo.com',
  'player.bilibili.com',
  'v.qq.com',
  'player.youku.com',
];

/** Elements with no end tag. */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Elements whose whitespace is content. */
export const PREFORMATTED: ReadonlySet<string> = new Set(['pre', 'textarea', 'listing']);
