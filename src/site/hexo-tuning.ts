/**
 * What newsstand's Hexo worker changes in Hexo, from outside it, so that the sites users' themes render build
 * in time and memory at tens of thousands of posts. Each change overrides one method of one instance (the
 * database, a model, a schema, a box's processors), after `hexo.init()` and before `generate`, and keeps
 * what the method returns; hexo-tuning.test.ts fails when a Hexo or warehouse upgrade makes one of them miss
 * (Hexo stops calling what is overridden) or wrong (the answers differ from the original's).
 */
import type Hexo from 'hexo';

/** What a build through Hexo's own generate needs below, in order (lightenStoredCopies is every build's: loadSite). */
export function tuneHexo(hexo: Hexo): void {
  onlyLayoutFilesAreViews(hexo);
  keepDatabaseInMemory(hexo);
  for (const name of ['Post', 'Page']) indexBySource(model(hexo, name));
  limitLoadConcurrency(hexo);
}

/**
 * Hexo caches the site in db.json: it loads it before processing the files and saves it in `hexo.exit()`.
 * newsstand renders every build into a fresh staging directory, so the cache buys nothing and costs the most
 * of the whole build: reading it back goes through a byte-by-byte JSON stream (12 s at 20,000 posts), writing
 * it serializes the whole Post model as one string (184 M characters at 20,000 posts: the build's peak of
 * memory; past V8's string limit at ~58,000 posts it is cut short without an error). So in the worker the
 * database lives in memory only: loading and saving do nothing. The site's db.json, which the user's own
 * `hexo` commands may rely on, is neither read, rewritten nor deleted (a db.json Hexo fails to load it
 * deletes).
 *
 * With no cache, Hexo's other costs that grow with the cache are gone too: box/index.js and
 * console/generate.js look for deleted files with `Array.includes` over every file the cache lists (8 s and
 * 7 s at 20,000 posts, quadratic), and the cache now lists none when they look.
 */
export function keepDatabaseInMemory(hexo: Hexo): void {
  // Hexo calls these as `db.load()` and `db.save().then(…)`; a native promise does for both.
  const database = hexo.database as unknown as { load: () => Promise<void>; save: () => Promise<void> };
  database.load = () => Promise.resolve();
  database.save = () => Promise.resolve();
}

/**
 * Warehouse copies every document it inserts (Document#toObject) and stores the copy once the schema's setters
 * have had it. Two parts of the copy are wasted, and they are most of what storing a post costs:
 * - `date` and `updated` are moments, copied deeply (rfdc): each one's locale and moment-timezone zone (every
 *   offset change of the timezone's history), ~30 µs a moment, 1.3 s at 20,000 posts, for a setter that then
 *   stores a new moment made from the copy's `_d` (hexo/dist/models/types/moment.js, `validate`). They are
 *   copied with moment's own `clone` (the same instant; locale and zone shared, not copied).
 * - Virtuals (a post's `path`, `permalink`, …) are computed for the copy, and their setter stage deletes them
 *   (warehouse/dist/types/virtual.js): a post's `path` runs Hexo's post_permalink filter, ten moment formats
 *   and a hash. A virtual without a setter of its own is left out of the copy.
 * So the same is stored; everything else is copied by warehouse as before.
 */
export function lightenStoredCopies(hexo: Hexo): void {
  const Virtual = (hexo.database.constructor as unknown as { Schema: { Types: { Virtual: new (...args: never[]) => object } } }).Schema
    .Types.Virtual;
  for (const name of ['Post', 'Page']) {
    const target = model(hexo, name);
    const unstored = new Set(
      Object.entries(target.schema.paths)
        .filter(([, type]) => type instanceof Virtual && typeof (type as { setter?: unknown }).setter !== 'function')
        .map(([key]) => key),
    );
    lightenModelCopies(target, unstored);
  }
}

function lightenModelCopies(target: WarehouseModel, unstored: ReadonlySet<string>): void {
  const prototype = target.Document.prototype;
  const deepCopy = prototype.toObject;
  prototype.toObject = function (this: Record<string, unknown>) {
    // The document's fields, in order, for warehouse to copy, but for its moments and the virtuals it would
    // drop; other getters still read the document itself.
    const fields: Record<string, unknown> = {};
    const moments: Array<[key: string, value: Moment]> = [];
    for (const key of Object.keys(this)) {
      const field = Object.getOwnPropertyDescriptor(this, key);
      if (field?.get) {
        if (!unstored.has(key)) Object.defineProperty(fields, key, { get: () => this[key], enumerable: true });
      } else if (isMoment(field?.value)) {
        fields[key] = null;
        moments.push([key, field.value]);
      } else fields[key] = field?.value;
    }
    const copy = deepCopy.call(fields);
    for (const [key, value] of moments) copy[key] = value.clone();
    return copy;
  };
}

/** A moment, as the tuning and the fast build (fast/posts.ts, fast/model.ts, fast/digest.ts) use one. */
export interface Moment {
  clone(): Moment;
  toISOString(): string;
  valueOf(): number;
}

export function isMoment(value: unknown): value is Moment {
  return Boolean(value && typeof value === 'object' && (value as { _isAMomentObject?: boolean })._isAMomentObject);
}

/**
 * What the moment's toISOString gives, without the UTC copy it makes (through moment-timezone's offset lookup)
 * only to check the year: for a valid moment of the years 0–9999 that is its Date's ISO string, the rest is
 * left to moment. 20,000 posts have their dates written so in every build (the build cache, digests); the theme's
 * lib/iso-date.js is the same rule on its side.
 */
export function momentIso(moment: Moment): string {
  const date = new Date(moment.valueOf());
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999 ? date.toISOString() : moment.toISOString();
}

/** The parts of a warehouse model (warehouse 6) these changes and the fast build's posts (fast/posts.ts) use. */
export interface WarehouseModel<D = unknown> {
  /** The stored documents by id; a removed one's id stays, with null. */
  data: Record<string, Record<string, unknown> | null | undefined>;
  _dataKeys: string[];
  dirty: boolean;
  length: number;
  /** A document of the model holding `data`'s fields (what its lookups return, of a deep copy). */
  new: (data: object) => D;
  schema: { paths: Record<string, unknown>; _execQuery: (query: unknown) => (data: Record<string, unknown>) => boolean };
  findOne: (query: unknown, options?: Record<string, unknown>) => unknown;
  findById: (id: string, options?: Record<string, unknown>) => unknown;
  on: (event: 'insert' | 'update' | 'remove', listener: (doc: { _id: string; source?: unknown }) => void) => unknown;
  /** The class of the model's documents. */
  Document: { prototype: { toObject(this: object): Record<string, unknown> } };
}

function model(hexo: Hexo, name: string): WarehouseModel {
  return hexo.model(name) as unknown as WarehouseModel;
}

/**
 * Hexo's post processor looks each file's post up with `Post.findOne({ source })` (the asset processor pages
 * with `Page.findOne`), and warehouse answers by scanning every document: quadratic in the posts once the
 * files are processed a few at a time (limitLoadConcurrency), 59 s of 113 s in a profile of a rebuild. The
 * model's findOne answers `{ source: string }` from a map instead, kept by the model's insert, update and
 * remove events; any other query, a source two documents share, or a model changed without events (warehouse's
 * `_import`, which the map notices by the count) goes to warehouse's own scan.
 */
export function indexBySource(target: WarehouseModel): void {
  const scan = target.findOne.bind(target);
  /** Per source, how many documents have it, and the one when there is one. */
  const count = new Map<unknown, number>();
  const only = new Map<unknown, string>();
  /** Per document, its source: what an update or a removal changes. */
  const sourceOf = new Map<string, unknown>();

  const add = (id: string, source: unknown) => {
    sourceOf.set(id, source);
    const n = (count.get(source) ?? 0) + 1;
    count.set(source, n);
    if (n === 1) only.set(source, id);
    else only.delete(source);
  };
  const drop = (id: string) => {
    if (!sourceOf.has(id)) return;
    const source = sourceOf.get(id);
    sourceOf.delete(id);
    const n = (count.get(source) ?? 1) - 1;
    if (n > 0) count.set(source, n);
    else count.delete(source);
    only.delete(source); // when one document is left, the next lookup scans for it and remembers it
  };
  const reindex = () => {
    count.clear();
    only.clear();
    sourceOf.clear();
    for (const [id, raw] of Object.entries(target.data)) if (raw) add(id, raw.source);
  };
  reindex();
  target.on('insert', (doc) => add(doc._id, doc.source));
  target.on('update', (doc) => {
    if (sourceOf.get(doc._id) === doc.source && sourceOf.has(doc._id)) return;
    drop(doc._id);
    add(doc._id, doc.source);
  });
  target.on('remove', (doc) => drop(doc._id));

  target.findOne = (query, options) => {
    if (!isSourceQuery(query) || (options && 'skip' in options)) return scan(query, options);
    if (sourceOf.size !== target.length) reindex();
    const n = count.get(query.source) ?? 0;
    if (n === 0) return undefined;
    const id = only.get(query.source);
    if (n === 1 && id !== undefined) return target.findById(id, options);
    const found = scan(query, options) as { _id?: string } | undefined;
    if (n === 1 && found?._id !== undefined) only.set(query.source, found._id);
    return found;
  };
}

function isSourceQuery(query: unknown): query is { source: string } {
  if (!query || typeof query !== 'object' || Object.getPrototypeOf(query) !== Object.prototype) return false;
  const keys = Object.keys(query);
  return keys.length === 1 && keys[0] === 'source' && typeof (query as { source: unknown }).source === 'string';
}

/** Files Hexo reads at once while it loads the site (hashes them, then processes them). */
export const LOAD_CONCURRENCY = 64;

/**
 * Hexo loads the site by starting every file at once: a hash of each (Cache.compareFile opens a read stream),
 * then each file's processors (the post processor reads it again). graceful-fs queues what the open-file limit
 * refuses and retries it, but gives up after 60 s: at 100,000 posts on a limit of 20,000 the build failed with
 * EMFILE. Then 100,000 pending inserts wait on the Post model's lock, whose queue warehouse shifts from the
 * front (2.6 s at 20,000 posts). So both steps take at most LOAD_CONCURRENCY files at once, for the site's
 * source box and the theme's alike.
 */
export function limitLoadConcurrency(hexo: Hexo, limit = LOAD_CONCURRENCY): void {
  const hashing = limiter(limit);
  const cache = hexo.model('Cache') as unknown as { compareFile?: (...args: unknown[]) => unknown };
  const compareFile = cache.compareFile;
  if (typeof compareFile === 'function') cache.compareFile = (...args) => hashing(() => compareFile.apply(cache, args));

  const processing = limiter(limit);
  type Process = (...args: unknown[]) => unknown;
  const limited = (original: Process): Process =>
    function (this: unknown, ...args: unknown[]) {
      return processing(() => original.apply(this, args));
    };
  // The source box's processors are this Hexo's own registry (extend.processor.list()): wrapped in place. The
  // theme box's are Hexo's module-level objects, shared by every Hexo in the process: replaced in its list.
  for (const processor of (hexo.source as unknown as { processors: { process: Process }[] }).processors)
    processor.process = limited(processor.process);
  const theme = hexo.theme as unknown as { processors: { process: Process }[] };
  theme.processors = theme.processors.map((processor) => ({ ...processor, process: limited(processor.process) }));
}

/** Runs at most `limit` of the functions given to it at once; the others wait their turn, in order. */
export function limiter(limit: number): <T>(task: () => T | PromiseLike<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  let head = 0; // waiting is read from `head` and trimmed now and then: shift() is linear on long arrays
  const next = () => {
    running--;
    if (head < waiting.length) {
      const start = waiting[head++]!;
      if (head > 1024 && head * 2 > waiting.length) {
        waiting.splice(0, head);
        head = 0;
      }
      start();
    }
  };
  return (task) =>
    new Promise((resolve, reject) => {
      const start = () => {
        running++;
        Promise.resolve().then(task).then(resolve, reject).finally(next);
      };
      if (running < limit) start();
      else waiting.push(start);
    });
}

/**
 * Hexo takes every theme file whose path contains `layout/` for a view (hexo-util's Pattern is not anchored):
 * Keep's `source/css/layout/_page/post.styl` became a second view `_page/post` beside `layout/_page/post.ejs`,
 * and `partial('_page/post')` renders whichever of the two was processed first. Now and then (in CI, once)
 * Keep's post pages showed the stylesheet's source instead of the post. The theme's view processor now takes
 * only files under `layout/`.
 */
export function onlyLayoutFilesAreViews(hexo: Hexo): void {
  type Processor = { pattern: { match: (path: string) => unknown }; process: unknown };
  const theme = hexo.theme as unknown as { processors: Processor[] };
  // The view processor is the one that takes layout/…. Replaced in this theme's list, not changed: Hexo's
  // processor objects are shared by every Hexo in the process.
  theme.processors = theme.processors.map((processor) => {
    if (!processor.pattern.match('layout/probe.ejs')) return processor;
    const match = (path: string) => (path.startsWith('layout/') ? processor.pattern.match(path) : undefined);
    return { ...processor, pattern: { match, test: (path: string) => Boolean(match(path)) } };
  });
}

/** The parts of Hexo's theme View (hexo/dist/theme/view.js) bindHelpersOnUse replaces. */
interface ViewPrototype {
  _buildLocals(this: { data: Record<string, unknown>; source: string }, locals: object): Record<string, unknown>;
  _bindHelpers(locals: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Hexo renders every layout and partial with locals of its own, and binds every helper to them first (~100 of
 * them, 6 to 9 views a page): a sixth of rendering a page of newsstand's theme. Here a view's locals inherit the
 * helpers from one object instead, each bound to the locals that use it when it is used; a template sees the
 * same helpers, bound to the same locals. Only for the fast build of newsstand's theme, whose layouts read
 * helpers and never list or copy them: what users' themes do with their locals is theirs.
 */
export function bindHelpersOnUse(hexo: Hexo): void {
  const View = (hexo.theme as unknown as { View: { prototype: ViewPrototype } }).View;
  const helpers = hexo.extend.helper.list() as Record<string, (...args: unknown[]) => unknown>;
  const inherited: Record<string, unknown> = {};
  for (const [name, helper] of Object.entries(helpers)) {
    Object.defineProperty(inherited, name, {
      get(this: object) {
        return helper.bind(this);
      },
      // A template that assigns to a helper's name has its own value, as it would have with Hexo's own locals.
      set(this: object, value: unknown) {
        Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
      },
      configurable: true,
    });
  }
  View.prototype._buildLocals = function (locals) {
    const { layout, _content, ...data } = this.data;
    const own = Object.create(inherited) as Record<string, unknown>;
    for (const source of [locals, data, { filename: this.source }])
      for (const key in source) own[key] = (source as Record<string, unknown>)[key];
    return own;
  };
  View.prototype._bindHelpers = (locals) => locals;
}

type UrlFor = (this: { config: UrlForConfig }, path?: unknown, options?: unknown) => string;
interface UrlForConfig {
  url?: unknown;
  root?: unknown;
  pretty_urls?: unknown;
  relative_link?: unknown;
}
const BY_PATH = Symbol('newsstand: url_for by path');

/**
 * Hexo's url_for keeps its answers under a key it builds from the settings and the path at every call: a new
 * string, hashed anew, about two million times at 20,000 posts (two links on every card of every listing page).
 * Here the answer to url_for(path) is kept by the path itself, for as long as the settings it depends on (url,
 * root, pretty_urls; relative_link, whose answers depend on the page, are not kept) are the ones it was made
 * under. Only for the fast build of newsstand's theme; a call with options goes to Hexo's own.
 */
export function urlForByPath(hexo: Hexo): void {
  const helpers = hexo.extend.helper;
  const original = helpers.get('url_for') as UrlFor;
  if (BY_PATH in original) return;
  let made = new Map<string, string>();
  let under: unknown[] = [];
  const byPath: UrlFor = function (path, options) {
    const { config } = this;
    if (options !== undefined || typeof path !== 'string' || config.relative_link) return original.call(this, path, options);
    if (under[0] !== config.url || under[1] !== config.root || under[2] !== config.pretty_urls) {
      made = new Map();
      under = [config.url, config.root, config.pretty_urls];
    }
    let url = made.get(path);
    if (url === undefined) made.set(path, (url = original.call(this, path)));
    return url;
  };
  helpers.register('url_for', Object.assign(byPath, { [BY_PATH]: true }) as never);
}

/** The parts of hexo-i18n's instance (hexo-i18n 2) the tuning below uses. */
interface ThemeI18n {
  languages: string[];
  __(languages?: string | string[]): (key: string, ...args: unknown[]) => string;
  _p(languages?: string | string[]): (key: string, ...args: unknown[]) => string;
  set(lang: string, data: object): ThemeI18n;
  remove(lang: string): ThemeI18n;
}
const PER_LANGUAGES = Symbol('newsstand: i18n per languages');

/**
 * Hexo's i18n filter gives every page its own `__` and `_p`, each made by merging the strings of every language
 * the page may use into a new object: half a second of each process's CPU at 20,000 posts. Here the two are
 * made once per list of languages, and anew once the strings change (set, remove: how Hexo loads a theme's
 * languages). They only read what they were made from, so pages can share them. Only for the fast build of
 * newsstand's theme.
 */
export function i18nPerLanguages(hexo: Hexo): void {
  const i18n = (hexo.theme as unknown as { i18n: ThemeI18n & { [PER_LANGUAGES]?: true } }).i18n;
  if (i18n[PER_LANGUAGES]) return;
  const original = { __: i18n.__, _p: i18n._p, set: i18n.set, remove: i18n.remove };
  let made = new Map<string, (key: string, ...args: unknown[]) => string>();
  const kept = (kind: '__' | '_p') =>
    function (this: ThemeI18n, languages?: string | string[]) {
      const key = `${kind}\u0000${[languages ?? this.languages].flat().join('\u0000')}`;
      let translate = made.get(key);
      if (!translate) made.set(key, (translate = original[kind].call(this, languages)));
      return translate;
    };
  i18n.__ = kept('__');
  i18n._p = kept('_p');
  i18n.set = function (lang, data) {
    made = new Map();
    return original.set.call(this, lang, data);
  };
  i18n.remove = function (lang) {
    made = new Map();
    return original.remove.call(this, lang);
  };
  i18n[PER_LANGUAGES] = true;
}
