/**
 * The one definition of `newsstand.yml`: validation, defaults, the messages users see for bad values, and
 * (through `z.toJSONSchema`) the shipped JSON Schema. Paths are resolved later, in load.ts, and identities in
 * source-key.ts.
 */
import { z } from 'zod';
import { DEFAULT_MAX_ITEMS_PER_FEED } from '../feed/cap.js';
import { FRONT_MATTER_FIELDS, OWN_FRONT_MATTER_KEYS, SAFE_KEY, THEME_NAMES } from '../theme-profiles.js';
import { DEFAULT_EMBED_HOSTS } from './defaults.js';
import { DURATION_PATTERN, SIZE_PATTERN, filenameProblem, isHttpUrl, isTimezone, regexProblem } from './units.js';

export const REFERRER_POLICIES = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
] as const;

export const OPENCC_CONVERSIONS = [
  's2t',
  't2s',
  's2tw',
  'tw2s',
  's2hk',
  'hk2s',
  's2twp',
  'tw2sp',
  't2tw',
  'tw2t',
  't2hk',
  'hk2t',
  't2jp',
  'jp2t',
] as const;

export const SOURCE_KINDS = ['rsshub', 'url', 'file'] as const;

/** A value as a user would recognise it in their YAML, for messages. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** A string schema whose wrong-type and wrong-format errors both get `problem`, which carries the hint. */
function formatted(check: (text: string) => boolean, problem: (input: unknown) => string, jsonSchema: Record<string, unknown>) {
  return z
    .string({ error: (issue) => problem(issue.input) })
    .refine(check, { error: (issue) => problem(issue.input) })
    .meta(jsonSchema);
}

const duration = z
  .string({ error: (issue) => notDuration(issue.input) })
  .regex(DURATION_PATTERN, { error: (issue) => notDuration(issue.input) })
  .describe('A duration: a positive number and a unit, ms s m h d w (e.g. 30m, 2h, 7d).');
function notDuration(input: unknown): string {
  return `${showValue(input)} is not a duration (use e.g. 30m, 2h, 7d)`;
}

const size = z
  .string({ error: (issue) => notSize(issue.input) })
  .regex(SIZE_PATTERN, { error: (issue) => notSize(issue.input) })
  .describe('A size in bytes, 1024-based: B KB MB GB (e.g. 512KB, 20MB).');
function notSize(input: unknown): string {
  return `${showValue(input)} is not a size (use e.g. 512KB, 20MB, 1GB)`;
}

const httpUrl = formatted(isHttpUrl, (input) => `${showValue(input)} is not an http(s) URL`, {
  format: 'uri',
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
});

const int = (min: number, max?: number) => {
  const base = z.number().int().min(min);
  return max === undefined ? base : base.max(max);
};

const timezone = formatted(
  isTimezone,
  (input) => `${showValue(input)} is not a time zone (use an IANA name such as Asia/Shanghai, or +08:00, or "")`,
  {},
).describe('Zone for feed dates that state none: "" (UTC), an IANA name such as Asia/Shanghai, or ±HH:MM.');

const pattern = formatted(
  (text) => regexProblem(text) === undefined,
  (input) =>
    typeof input === 'string'
      ? `${showValue(input)} is not a valid regular expression: ${regexProblem(input)}`
      : `expected a regular expression, got ${showValue(input)}`,
  {},
);

const filter = z
  .strictObject({ title: pattern.optional(), content: pattern.optional(), author: pattern.optional(), category: pattern.optional() })
  .describe("Regular expressions (case-insensitive) matched against an item's title, content, author or categories.");

const referrerPolicy = z.enum(REFERRER_POLICIES, {
  error: (issue) => `${showValue(issue.input)} is not a referrer policy (use one of ${REFERRER_POLICIES.join(', ')})`,
});

const leadImage = formatted(
  (text) => text === '' || isHttpUrl(text),
  (input) => `${showValue(input)} is not an http(s) URL or ""`,
  {},
).describe('Lead image for items that have none: "" or an http(s) URL.');

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A map whose keys must be HTTP tokens; a bad key is reported at that key, saying what it should be. */
function tokenMap(what: string, value: z.ZodType<string>) {
  return z.record(z.string(), value).superRefine((map, context) => {
    for (const key of Object.keys(map)) {
      if (!TOKEN.test(key))
        context.addIssue({ code: 'custom', path: [key], message: `${showValue(key)} is not ${what} (letters, digits and - only)` });
    }
  });
}

const headerMap = tokenMap(
  'an HTTP header name',
  z
    .string({ error: (issue) => `expected a header value (text), got ${showValue(issue.input)}` })
    .regex(/^[^\r\n]*$/, { error: 'a header value must be one line' }),
).describe('Extra HTTP request headers, e.g. { Referer: https://example.com/ }.');

const cookieMap = tokenMap(
  'a cookie name',
  z
    .string({ error: (issue) => `expected a cookie value (text), got ${showValue(issue.input)}` })
    .regex(/^[^;\r\n]*$/, { error: 'a cookie value must be one line without ";"' }),
).describe('Cookies sent with every request, as { name: value }.');

const retentionDefaults = { maxAge: '90d', maxItems: 500 } as const;
const imagesDefaults = {
  referrerPolicy: 'no-referrer',
  lazy: true,
  mirror: false,
  referer: 'none',
  maxBytes: '10MB',
  default: '',
} as const;

const referer = formatted(
  (text) => text === 'none' || text === 'origin' || isHttpUrl(text),
  (input) => `${showValue(input)} is not a referer (use none, origin, or an http(s) URL such as https://www.example.com/)`,
  {},
).describe('Referer sent when mirroring images: none, origin (of the article), or a fixed http(s) URL.');

const fullText = z
  .union([z.boolean(), z.strictObject({ selector: z.string().trim().min(1, { error: 'a selector must not be empty' }) })], {
    error: (issue) => `expected true, false or { selector: "CSS selector" }, got ${showValue(issue.input)}`,
  })
  .describe('Fetch each article page and extract its main text: true (automatic) or { selector: "CSS" }.');

const hostname = formatted(
  (text) => /^(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(text),
  (input) => `${showValue(input)} is not a host name (e.g. www.youtube.com, or *.example.com for any subdomain)`,
  {},
);
const embeds = z
  .array(hostname, { error: (issue) => `expected a list of host names, got ${showValue(issue.input)}` })
  .describe('Hosts whose video players may be embedded (iframes, sandboxed); replaces the built-in list.');

const defaults = z
  .strictObject({
    interval: duration.default('30m').describe('How often a source is fetched.'),
    retention: z
      .strictObject({
        maxAge: duration.default(retentionDefaults.maxAge).describe('Posts older than this are pruned.'),
        maxItems: int(1).default(retentionDefaults.maxItems).describe('At most this many posts per source are kept.'),
      })
      .prefault({}),
    images: z
      .strictObject({
        referrerPolicy: referrerPolicy.default(imagesDefaults.referrerPolicy),
        lazy: z.boolean().default(imagesDefaults.lazy).describe('Add loading="lazy" to images.'),
        mirror: z.boolean().default(imagesDefaults.mirror).describe('Download images into the site (source/images/).'),
        referer: referer.default(imagesDefaults.referer),
        maxBytes: size.default(imagesDefaults.maxBytes).describe('Largest image mirrored.'),
        default: leadImage.default(imagesDefaults.default),
      })
      .prefault({}),
    fullText: fullText.default(false),
    embeds: embeds.default([...DEFAULT_EMBED_HOSTS]),
    comments: z.boolean().default(false).describe("The posts' `comments` front-matter value."),
    timezone: timezone.default(''),
    headers: headerMap.default({}),
    cookies: cookieMap.default({}),
  })
  .describe('Settings every source inherits; a source may override any of them.');

const kindCount = (entry: Record<string, unknown>) => SOURCE_KINDS.filter((kind) => entry[kind] !== undefined);

const source = z
  .strictObject({
    rsshub: formatted(
      (text) => /^\/\S*$/.test(text),
      (input) => `${showValue(input)} is not an RSSHub route (start it with "/", e.g. /aljazeera/chinese/news)`,
      { pattern: '^/\\S*$' },
    )
      .optional()
      .describe('An RSSHub route, query allowed; resolved against rsshub.instances.'),
    url: formatted(
      isHttpUrl,
      (input) =>
        typeof input === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(input)
          ? `${showValue(input)} is not an http(s) URL (for a local feed use file:)`
          : `${showValue(input)} is not an http(s) URL`,
      { format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' },
    )
      .optional()
      .describe("The feed's http(s) URL."),
    file: z.string().min(1).optional().describe("A local feed file, relative to this file's directory."),
    name: z.string().optional().describe("The source's name; the author of items that name none."),
    categories: z
      .array(z.string().trim().min(1, { error: 'a category must not be empty' }), {
        error: (issue) => `expected a list of 1 to 3 categories, got ${showValue(issue.input)}`,
      })
      .min(1, { error: 'expected 1 to 3 categories (category > site > channel), got none' })
      .max(3, { error: (issue) => `expected 1 to 3 categories (category > site > channel), got ${(issue.input as unknown[]).length}` })
      .optional()
      .describe('Hexo categories, outermost first: [category, site, channel].'),
    include: filter.optional(),
    exclude: filter.optional(),
    fullText: fullText.optional(),
    embeds: embeds.optional(),
    convert: z
      .enum(OPENCC_CONVERSIONS, {
        error: (issue) => `${showValue(issue.input)} is not an OpenCC conversion (use one of ${OPENCC_CONVERSIONS.join(', ')})`,
      })
      .optional()
      .describe('Convert Chinese text with OpenCC, e.g. t2s (traditional to simplified).'),
    interval: duration.optional(),
    retention: z.strictObject({ maxAge: duration.optional(), maxItems: int(1).optional() }).optional(),
    images: z
      .strictObject({
        referrerPolicy: referrerPolicy.optional(),
        lazy: z.boolean().optional(),
        mirror: z.boolean().optional(),
        referer: referer.optional(),
        maxBytes: size.optional(),
        default: leadImage.optional(),
      })
      .optional(),
    comments: z.boolean().optional(),
    timezone: timezone.optional(),
    headers: headerMap.optional(),
    cookies: cookieMap.optional(),
    disabled: z
      .boolean()
      .optional()
      .describe('true: the source stays configured but is never fetched (newsstand disable/enable set it); its posts stay.'),
  })
  .refine((entry) => kindCount(entry).length === 1, {
    // Runs even when a key inside the entry is invalid, so one pass reports everything.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
    error: (issue) => {
      const found = kindCount(issue.input as Record<string, unknown>);
      return found.length === 0
        ? 'needs exactly one of rsshub, url or file'
        : `needs exactly one of rsshub, url or file, not ${found.join(' and ')}`;
    },
  })
  .meta({ oneOf: SOURCE_KINDS.map((kind) => ({ required: [kind] })) });

export const configSchema = z
  .strictObject({
    site: z
      .strictObject({
        root: z.string().min(1).default('.').describe('The Hexo site (where _config.yml is), relative to this file.'),
        postsDir: z.string().min(1).default('source/_posts').describe('Where posts are written, relative to root.'),
        filename: formatted(
          (text) => filenameProblem(text) === undefined,
          (input) =>
            typeof input === 'string'
              ? `${showValue(input)} ${filenameProblem(input)}`
              : `expected a file name pattern such as ":year-:month-:day-:id", got ${showValue(input)}`,
          {},
        )
          .default(':year-:month-:day-:id')
          .describe('Post file name: :year :month :day :hour :minute :id :title :source and [A-Za-z0-9_.-]; must contain :id.'),
      })
      .prefault({}),
    rsshub: z
      .strictObject({
        instances: z
          .array(httpUrl)
          .min(1, { error: 'needs at least one instance URL' })
          .default(['https://rsshub.app'])
          .describe('RSSHub instances, tried in order.'),
        accessKey: z.string().default('').describe('RSSHub access key; usually ${RSSHUB_ACCESS_KEY}.'),
        language: z
          .enum(['zh', 'en'], { error: (issue) => `${showValue(issue.input)} is not a language (use zh or en)` })
          .default('zh')
          .describe('Language of category names taken from RSSHub.'),
      })
      .prefault({}),
    fetch: z
      .strictObject({
        concurrency: int(1, 64).default(8).describe('Sources fetched at once.'),
        perHost: int(1, 16).default(2).describe('Requests to one host at once.'),
        timeout: duration.default('20s').describe('Longest time for one request, body included.'),
        connectTimeout: duration.default('10s').describe('Longest time to open a connection.'),
        retries: int(0, 10).default(2).describe('Retries of network errors and 5xx answers, with backoff.'),
        maxBytes: size.default('20MB').describe('Largest response accepted.'),
        maxItemsPerFeed: int(1)
          .default(DEFAULT_MAX_ITEMS_PER_FEED)
          .describe('Most items read from one feed; a feed with more keeps its newest (by date; undated items count as newest).'),
        userAgent: z.string().default('').describe('User-Agent header; "" for the default.'),
        allowPrivateNetworks: z
          .boolean()
          .default(false)
          .describe('Let article pages and images that feeds link to be fetched from private, loopback and link-local addresses.'),
      })
      .prefault({}),
    theme: z
      .strictObject({
        profile: z
          .enum(['auto', 'none', ...THEME_NAMES], {
            error: (issue) => `${showValue(issue.input)} is not a theme profile (use auto, none or one of ${THEME_NAMES.join(', ')})`,
          })
          .default('auto')
          .describe("Which theme's front-matter keys posts carry: auto (the theme named in _config.yml), none, or a profile's name."),
        frontMatter: z
          .record(
            z.string(),
            z.union([z.enum(Object.keys(FRONT_MATTER_FIELDS) as [keyof typeof FRONT_MATTER_FIELDS]), z.boolean()], {
              error: (issue) =>
                `${showValue(issue.input)} is not something a post can carry (use ${Object.keys(FRONT_MATTER_FIELDS).join(', ')}, true or false)`,
            }),
          )
          .superRefine((keys, context) => {
            for (const key of Object.keys(keys)) {
              if (!SAFE_KEY.test(key))
                context.addIssue({
                  code: 'custom',
                  path: [key],
                  message: `${showValue(key)} is not a front-matter key (letters, digits and _)`,
                });
              else if (OWN_FRONT_MATTER_KEYS.includes(key))
                context.addIssue({
                  code: 'custom',
                  path: [key],
                  message: `${showValue(key)} is written by newsstand itself; choose another key`,
                });
            }
          })
          .default({})
          .describe(
            'More front-matter keys, for a theme without a profile: key → image, images, excerpt, summary, author, link, true or false.',
          ),
      })
      .prefault({}),
    defaults: defaults.prefault({}),
    sources: z.array(source).default([]).describe('The feeds. Each names exactly one of rsshub, url or file.'),
  })
  .meta({ title: 'newsstand.yml', description: 'Configuration of newsstand, which turns feeds into a Hexo news site.' });

/** `newsstand.yml` after validation and defaults, before paths and units are resolved. */
export type ConfigFile = z.output<typeof configSchema>;
export type SourceEntry = ConfigFile['sources'][number];
export type FilterEntry = z.output<typeof filter>;
