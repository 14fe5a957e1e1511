/**
 * What popular Hexo themes need from newsstand: the front-matter keys each one reads for the lead image and
 * the excerpt on index pages (the seed's `headimg` is Volantis's key, `thumbnail` Redefine's; the others read
 * keys of their own), what `newsstand init --theme` installs for it, and what the build adds for it. Read from
 * each theme's layouts (versions as pinned below).
 */

/** What a front-matter key added for a theme holds. */
export const FRONT_MATTER_FIELDS = {
  image: 'the lead image URL (the key is left out when the item has none)',
  images: 'the lead image as a one-item list (NexT and Landscape `photos`)',
  excerpt: 'the first 200 characters of the text, as HTML (`<p>…</p>`), for index pages',
  summary: 'the first 200 characters of the text, plain',
  author: 'the author (as in `author`)',
  link: "the item's link (as in `original_url`)",
} as const;

export type FrontMatterField = keyof typeof FRONT_MATTER_FIELDS;

/**
 * Keys as themes name them, and the only keys added to a post for a theme: nothing a YAML reader could take for
 * anything but a plain key (the configuration checks `theme.frontMatter` against it, the post writer again).
 */
export const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An added key and what it holds: a field of the item, or a fixed `true`/`false`. */
export type ThemeKey = readonly [key: string, value: FrontMatterField | boolean];

export interface ThemeProfile {
  /** Keys written after the seed's and newsstand's own, in this order. */
  frontMatter: readonly ThemeKey[];
  /** The theme's npm package and the version `init --theme` installs; none for newsstand's own. */
  package?: { name: string; version: string };
  /** Other packages a site with this theme needs (renderers, generators), with versions. */
  needs?: Readonly<Record<string, string>>;
  /** Looks authors up in `source/_data/author.yml`: the build supplies an entry for each post's author. */
  authorData?: boolean;
}

export const THEME_PROFILES: Readonly<Record<string, ThemeProfile>> = {
  newsstand: { frontMatter: [] },
  // headimg is the index cover and the post's banner, thumbnail a second, small copy beside the post's
  // meta: the banner is turned off so the post shows the image once.
  volantis: {
    frontMatter: [['headimg_display', false]],
    package: { name: 'hexo-theme-volantis', version: '6.8.3' },
    needs: { 'hexo-generator-json-content': '4.2.3' },
    authorData: true,
  },
  // cover is the card's image on the index and the post; without an excerpt the index shows whole articles.
  icarus: {
    frontMatter: [
      ['cover', 'image'],
      ['excerpt', 'excerpt'],
    ],
    package: { name: 'hexo-theme-icarus', version: '6.1.1' },
    needs: { 'hexo-renderer-inferno': '1.0.2' },
  },
  // cover is the index card and the post's header; the author shown is copyright_author.
  butterfly: {
    frontMatter: [
      ['cover', 'image'],
      ['copyright_author', 'author'],
    ],
    package: { name: 'hexo-theme-butterfly', version: '5.7.0' },
    needs: { 'hexo-renderer-pug': '3.0.0' },
  },
  fluid: {
    frontMatter: [
      ['index_img', 'image'],
      ['banner_img', 'image'],
    ],
    package: { name: 'hexo-theme-fluid', version: '1.9.9' },
  },
  // photos is a gallery above the article on the index and the post; without an excerpt the index shows
  // whole articles.
  next: {
    frontMatter: [
      ['photos', 'images'],
      ['excerpt', 'excerpt'],
    ],
    package: { name: 'hexo-theme-next', version: '8.29.0' },
  },
  // Reads thumbnail on the index and the post already.
  redefine: {
    frontMatter: [],
    package: { name: 'hexo-theme-redefine', version: '2.9.0' },
  },
  // cover makes the index card a picture card; banner is the post's header.
  stellar: {
    frontMatter: [
      ['cover', 'image'],
      ['banner', 'image'],
    ],
    package: { name: 'hexo-theme-stellar', version: '1.44.0' },
  },
  keep: {
    frontMatter: [
      ['home_cover', 'image'],
      ['post_cover', 'image'],
    ],
    package: { name: 'hexo-theme-keep', version: '4.3.0' },
  },
  landscape: {
    frontMatter: [
      ['photos', 'images'],
      ['excerpt', 'excerpt'],
    ],
    package: { name: 'hexo-theme-landscape', version: '1.1.0' },
  },
};

export const THEME_NAMES = Object.keys(THEME_PROFILES);

/** The keys newsstand itself writes: a theme's keys may not be one of them. */
export const OWN_FRONT_MATTER_KEYS = [
  'title',
  'categories',
  'headimg',
  'author',
  'comments',
  'date',
  'thumbnail',
  'updated',
  'original_url',
  'newsstand_id',
];

/** Hexo's name for a theme (`theme:` in _config.yml), also when given as its package name. */
export function themeName(theme: string): string {
  return theme.trim().replace(/^hexo-theme-/, '');
}
