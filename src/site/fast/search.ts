import { writeSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Hexo from 'hexo';
import { removeDeadTemporaries } from '../../store/temporaries.js';
import type { SiteLocals } from './model.js';

const require = createRequire(import.meta.url);

/** The theme's generator this module stands in for (themes/newsstand/scripts/search.js). */
export const SEARCH_GENERATOR = 'newsstand-search';

/** lib/search-index.js's SearchIndex, as used here. */
export interface SearchIndex {
  put(key: string, doc: unknown[]): void;
  delete(key: string): boolean;
  files(): Array<{ path: string; data: string }>;
  changes(): { files: Array<{ path: string }>; removed: string[] };
  save(): Buffer;
  writeState(write: (piece: Buffer) => void): void;
}
interface SearchIndexClass {
  new (): SearchIndex;
  restore(state: Buffer): SearchIndex;
}
interface SearchDocumentModule {
  searchHelpers(hexo: Hexo, context: unknown): unknown;
  searchDocument(post: unknown, helpers: unknown): unknown[];
}

/** One file of the index: whether it differs from the file as the saved index had it, and its text. */
export interface SearchFile {
  path: string;
  changed: boolean;
  data: () => string;
}

/** Per post file (`source`): the hash of the file its document was made from, and its key in the index. */
type Indexed = Map<string, { hash: string; key: string }>;

const STATE_FORMAT = 'newsstand-search-state 2';

/** The saved state's first line of JSON: whose it is, and per post file its hash and key (Indexed). */
interface StateHeader {
  environment: string;
  generation: string;
  posts: Array<[source: string, hash: string, key: string]>;
}

/** The index as a build left it, and what each post file's document was made from: what memory.ts keeps. */
export interface KeptSearch {
  index: SearchIndex;
  indexed: Indexed;
}

/**
 * The theme's search index kept between builds (in `statePath`, beside build.db, or in memory by a long-lived
 * worker: `kept`): restored, then only the posts whose file changed are put again and the posts that are gone
 * deleted, with the theme's own document (lib/search-document.js) — what the theme's generator would put for
 * all of them, so the files come out the same. Started afresh for a full build, or when the state is for
 * another environment or cannot be read.
 *
 * The saved state and the pages written from it go together (SearchState): the old state is removed before the
 * pages are published, the new one put in its place after. A build stopped in between leaves no state, and the
 * next one makes the index afresh rather than from a state older than the pages.
 */
export async function updateSearch(options: {
  hexo: Hexo;
  locals: SiteLocals;
  statePath: string;
  environment: string;
  full: boolean;
  kept: KeptSearch | null;
  /** The build cache's generation now (a saved state is used only if it is of it), and the one this build writes. */
  generation: { now: string | undefined; next: string };
  /** The index is kept in memory after it is saved (a long-lived worker): saved so that it holds its text once. */
  keep: boolean;
}): Promise<{ files: SearchFile[]; state: SearchState }> {
  const { hexo, locals, statePath, environment, generation } = options;
  const SearchIndex = searchIndexClass(hexo);
  const { searchDocument, searchHelpers } = require(join(themeLibOf(hexo), 'search-document.js')) as SearchDocumentModule;

  const saved = options.full ? null : (options.kept ?? (await readState(statePath, environment, generation.now, SearchIndex)));
  const index = saved?.index ?? new SearchIndex();
  const before: Indexed = saved?.indexed ?? new Map();
  const now: Indexed = new Map();
  const helpers = searchHelpers(hexo, hexo);
  locals.posts.forEach((post) => {
    const source = String(post.source);
    const known = before.get(source);
    if (known && known.hash === post.__hash) {
      now.set(source, known);
      return;
    }
    const doc = searchDocument(post, helpers);
    const key = String(doc[1]);
    if (known && known.key !== key) index.delete(known.key);
    index.put(key, doc);
    now.set(source, { hash: post.__hash, key });
  });
  for (const [source, { key }] of before) if (!now.has(source)) index.delete(key);

  const changed = new Set(index.changes().files.map((file) => file.path));
  const files = index.files().map((file) => ({ path: file.path, changed: changed.has(file.path), data: () => file.data }));
  const state = new SearchState(statePath, { environment, generation: generation.next }, { index, indexed: now }, options.keep);
  return { files, state };
}

/**
 * The state a build saves of its index, and when: removed before the pages are published (`discard`), in place
 * after (`commit`), gone if the build fails (`abandon`). An index that is not kept is written at once to a file
 * of its own (`stage`), while the build renders its pages, and let go: at 20,000 posts it is ~125 MB of the
 * heap, which the build then renders without. A kept one is written after the pages are published, from the
 * index the next build updates.
 */
export class SearchState {
  private readonly temporary: string;
  private staged = false;

  constructor(
    private readonly statePath: string,
    private readonly of: { environment: string; generation: string },
    private search: KeptSearch | null,
    private readonly keep: boolean,
  ) {
    this.temporary = `${statePath}.${process.pid}.tmp`;
  }

  /** The index and what it was made from, for the next build of a worker that keeps them (null: not kept). */
  get kept(): KeptSearch | null {
    return this.keep ? this.search : null;
  }

  /** Writes the state of an index that is not kept, and lets it go (the build's other references to it must go too). */
  async stage(): Promise<void> {
    if (this.keep || this.staged) return;
    await this.write();
  }

  discard(): Promise<void> {
    return rm(this.statePath, { force: true });
  }

  async commit(): Promise<void> {
    if (!this.staged) await this.write();
    await rename(this.temporary, this.statePath);
    this.staged = false;
  }

  abandon(): Promise<void> {
    this.staged = false;
    return rm(this.temporary, { force: true });
  }

  private async write(): Promise<void> {
    const { index, indexed } = this.search!;
    // Those of killed builds: each the size of the index, ~120 MB at 20,000 posts, and nothing else removes them.
    removeDeadTemporaries(this.statePath);
    await writeState(this.temporary, this.of, indexed, index, this.keep);
    this.staged = true;
    if (!this.keep) this.search = null;
  }
}

/** Where a site's search index is kept between builds, beside build.db. */
export function searchStatePath(root: string): string {
  return join(root, '.newsstand', 'search.state');
}

/** The theme makes a search index (its generator is the one this module stands in for). */
export function themeHasSearch(hexo: Hexo): boolean {
  return Object.hasOwn(hexo.extend.generator.list(), SEARCH_GENERATOR);
}

/** The saved index of a build cache's generation, or null (none, another generation or environment, unreadable). */
export async function restoreSearch(options: {
  hexo: Hexo;
  statePath: string;
  environment: string;
  generation: string | undefined;
}): Promise<KeptSearch | null> {
  return readState(options.statePath, options.environment, options.generation, searchIndexClass(options.hexo));
}

/** The theme's SearchIndex (lib/search-index.js): the rules the index is made by are the theme's. */
function searchIndexClass(hexo: Hexo): SearchIndexClass {
  return (require(join(themeLibOf(hexo), 'search-index.js')) as { SearchIndex: SearchIndexClass }).SearchIndex;
}

function themeLibOf(hexo: Hexo): string {
  return join((hexo as unknown as { theme_dir: string }).theme_dir, 'lib');
}

async function readState(
  statePath: string,
  environment: string,
  generation: string | undefined,
  SearchIndex: SearchIndexClass,
): Promise<{ index: SearchIndex; indexed: Indexed } | null> {
  const state = await readFile(statePath).catch(() => null);
  if (!state) return null;
  try {
    const first = state.indexOf(10);
    const second = state.indexOf(10, first + 1);
    if (first < 0 || second < 0 || state.toString('utf8', 0, first) !== STATE_FORMAT) return null;
    const header = JSON.parse(state.toString('utf8', first + 1, second)) as StateHeader;
    // Of another build than the pages: a process saving late, or one killed after it had moved pages.
    if (header.environment !== environment || header.generation !== generation) return null;
    const indexed: Indexed = new Map(header.posts.map(([source, hash, key]) => [source, { hash, key }]));
    return { index: SearchIndex.restore(state.subarray(second + 1)), indexed };
  } catch {
    return null; // a damaged or older state: the index is made afresh
  }
}

/**
 * Written to `temporary` (SearchState renames it into place). An index that is kept afterwards is saved into one
 * Buffer it then reads from; one that is not is written a piece at a time, so that its files (~110 MB at 20,000
 * posts) are not held a second time.
 */
async function writeState(
  temporary: string,
  of: { environment: string; generation: string },
  indexed: Indexed,
  index: SearchIndex,
  keep: boolean,
): Promise<void> {
  const posts = [...indexed].map(([source, { hash, key }]): StateHeader['posts'][number] => [source, hash, key]);
  const header = Buffer.from(`${STATE_FORMAT}\n${JSON.stringify({ ...of, posts } satisfies StateHeader)}\n`);
  const file = await open(temporary, 'w');
  try {
    await file.write(header);
    if (keep) await file.write(index.save());
    else writeInChunks(file.fd, (write) => index.writeState(write));
  } finally {
    await file.close();
  }
}

/** What `produce` hands out, written to `fd` in chunks of a few megabytes. */
function writeInChunks(fd: number, produce: (write: (piece: Buffer) => void) => void): void {
  const CHUNK = 4 * 2 ** 20;
  let pieces: Buffer[] = [];
  let size = 0;
  const flush = () => {
    const chunk = Buffer.concat(pieces, size);
    for (let written = 0; written < chunk.length; ) written += writeSync(fd, chunk, written);
    pieces = [];
    size = 0;
  };
  produce((piece) => {
    pieces.push(piece);
    size += piece.length;
    if (size >= CHUNK) flush();
  });
  if (size > 0) flush();
}
