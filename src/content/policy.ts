/**
 * The allowlist: what third-party HTML may keep when published on the user's site. Anything not named
 * here is unwrapped (its children kept) or, for the elements below that carry code or UI, dropped whole.
 */

// HTML 4's presentational table attributes, still honoured by browsers and still sent by mailers and old CMSs.
const SECTION_LAYOUT = ['align', 'valign'];
const CELL_LAYOUT = [...SECTION_LAYOUT, 'nowrap', 'bgcolor', 'width', 'height'];

/** Elements kept, with the attributes each may carry besides the global ones. */
export const ALLOWED_ELEMENTS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    a: ['href', 'hreflang', 'name'],
    abbr: [],
    address: [],
    article: [],
    aside: [],
    audio: ['src', 'controls', 'loop', 'muted', 'preload'],
    area: ['href', 'shape', 'coords', 'alt'],
    b: [],
    bdi: [],
    bdo: [],
    big: [],
    blockquote: ['cite'],
    br: ['clear'],
    caption: ['align'],
    center: [],
    cite: [],
    code: [],
    col: ['span', ...SECTION_LAYOUT, 'width'],
    colgroup: ['span', ...SECTION_LAYOUT, 'width'],
    dd: [],
    del: ['cite', 'datetime'],
    details: ['open'],
    dfn: [],
    div: ['align'],
    dl: [],
    dt: [],
    em: [],
    figcaption: [],
    figure: [],
    font: ['color', 'size', 'face'],
    footer: [],
    h1: ['align'],
    h2: ['align'],
    h3: ['align'],
    h4: ['align'],
    h5: ['align'],
    h6: ['align'],
    header: [],
    hgroup: [],
    hr: ['align'],
    i: [],
    iframe: ['src', 'width', 'height', 'allowfullscreen'],
    img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'align', 'border', 'hspace', 'vspace', 'usemap'],
    ins: ['cite', 'datetime'],
    kbd: [],
    li: ['value'],
    main: [],
    map: ['name'],
    mark: [],
    meter: ['value', 'min', 'max', 'low', 'high', 'optimum'],
    nav: [],
    ol: ['start', 'reversed', 'type'],
    p: ['align'],
    picture: [],
    pre: [],
    progress: ['value', 'max'],
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
    table: ['align', 'border', 'cellpadding', 'cellspacing', 'summary', 'bgcolor', 'width'],
    tbody: SECTION_LAYOUT,
    td: ['colspan', 'rowspan', 'headers', ...CELL_LAYOUT],
    tfoot: SECTION_LAYOUT,
    th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr', ...CELL_LAYOUT],
    thead: SECTION_LAYOUT,
    time: ['datetime'],
    tr: [...SECTION_LAYOUT, 'bgcolor'],
    track: ['src', 'kind', 'srclang', 'label', 'default'],
    tt: [],
    u: [],
    ul: [],
    var: [],
    video: ['src', 'poster', 'controls', 'loop', 'muted', 'playsinline', 'preload', 'width', 'height'],
    wbr: [],
  }).map(([tag, attributes]) => [tag, new Set(attributes)]),
);

/**
 * Attributes any kept element may carry. `class` helps themes align WordPress-style figures; `id` is prefixed;
 * `hidden` because dropping it would show what the author hid.
 */
export const GLOBAL_ATTRIBUTES: ReadonlySet<string> = new Set(['title', 'lang', 'dir', 'class', 'id', 'hidden']);

// The colour keywords browsers know (CSS Color 4); legacy colour attributes take these or #rgb/#rrggbb.
const COLOR_NAMES =
  'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood ' +
  'cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray ' +
  'darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen ' +
  'darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue ' +
  'firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew ' +
  'hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan ' +
  'lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray ' +
  'lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue ' +
  'mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred ' +
  'midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid ' +
  'palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple ' +
  'rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue ' +
  'slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white ' +
  'whitesmoke yellow yellowgreen';
const LEGACY_COLOR = new RegExp(`^(?:#(?:[0-9a-f]{3}){1,2}|${COLOR_NAMES.split(' ').join('|')})$`, 'i');
// A valid HTML floating-point number.
const NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * Attributes kept only when their value (trimmed) has this form. They are presentational legacy values, and
 * the check keeps anything else (CSS, URLs, markup) from riding in on them.
 */
export const ATTRIBUTE_VALUES: ReadonlyMap<string, RegExp> = new Map([
  ['bgcolor', LEGACY_COLOR],
  ['color', LEGACY_COLOR],
  ['size', /^[+-]?[1-7]$/],
  // Font family names, comma-separated; no quotes, brackets, colons or semicolons.
  ['face', /^[\p{L}\p{N}][\p{L}\p{N} ,._-]{0,199}$/u],
  ...['value', 'min', 'max', 'low', 'high', 'optimum'].map((name) => [name, NUMBER] as const),
]);

/** Obsolete elements written as their modern equivalent, so the structure they give survives. */
export const RENAMED_ELEMENTS: ReadonlyMap<string, string> = new Map([
  ['acronym', 'abbr'],
  ['dir', 'ul'],
  ['menu', 'ul'],
  ['listing', 'pre'],
]);

/**
 * Elements removed together with everything inside them. `noscript` is not one: what it holds is the fallback
 * for scripts, and newsstand never runs any, so it is unwrapped and its content cleaned like any other.
 */
export const DROPPED_WITH_CONTENT: ReadonlySet<string> = new Set([
  'script',
  'style',
  'template',
  'object',
  'embed',
  'applet',
  'frame',
  'frameset',
  'noframes',
  'head',
  'title',
  'base',
  'meta',
  'link',
  'input',
  'button',
  'select',
  'textarea',
  'option',
  'optgroup',
  'datalist',
  'output',
  'dialog',
  'canvas',
  'portal',
  'param',
  'xmp',
  'plaintext',
  'noembed',
  'svg',
  'math',
]);

/** Attributes whose values are URLs and are made absolute and scheme-checked. */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set(['href', 'src', 'cite', 'poster']);

/** Elements with no end tag. */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** Elements whose whitespace is content. */
export const PREFORMATTED: ReadonlySet<string> = new Set(['pre', 'textarea', 'listing']);
