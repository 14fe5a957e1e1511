/**
 * The site the crash test kills `newsstand sync` on: five `file:` sources whose items change between runs
 * (new revisions, new items, other categories, a deleted state database), a model of what the site must hold
 * once a run completes, and the checks that must hold after any kill.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  watch,
  type Dirent,
  type FSWatcher,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { parseWithHexo } from '../helpers/hexo-front-matter.js';
import { makeSite, REPO, rss, type RssItem, type TestSite } from '../helpers/site.js';

/** mulberry32: a small seeded generator, so a failing campaign can be replayed from its seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ModelItem {
  source: number;
  n: number;
  guid: string | undefined;
  link: string;
  /** Undated items take the time they were first seen as their date (and so in their file name). */
  dated: boolean;
  pubMs: number;
  chinese: boolean;
  rev: number;
}

const SOURCES = 5;
const ITEMS_PER_SOURCE = 42;
/** Source 3 repeats the links of source 1's first items: those are source 1's posts (first source wins). */
const DUPLICATE_SOURCE = 3;
const DUPLICATES = 4;
/** Source 4 keeps its 30 newest posts, so new items prune old ones. */
const PRUNED_SOURCE = 4;
const MAX_ITEMS = 30;

export class CrashSite {
  readonly site: TestSite;
  private readonly items: ModelItem[] = [];
  private readonly altCategories = new Set<number>();
  /** New items are dated a minute apart from here on, so even hundreds of them stay in the past. */
  private readonly base = Date.now() - 86_400_000;
  private added = 0;

  constructor() {
    this.site = makeSite();
    for (let source = 0; source < SOURCES; source++) {
      for (let n = 0; n < ITEMS_PER_SOURCE; n++) this.items.push(this.newItem(source, n, this.base - (n + 1) * 3_600_000));
    }
    this.write();
  }

  private newItem(source: number, n: number, pubMs: number): ModelItem {
    const duplicate = source === DUPLICATE_SOURCE && n < DUPLICATES;
    return {
      source,
      n,
      // Some items are known by their link only.
      guid: source === 2 && n % 3 === 0 ? undefined : `crash-${source}-${n}`,
      link: duplicate ? `https://s1.example/news/${n}` : `https://s${source}.example/news/${n}`,
      dated: !(source === 2 && n % 5 === 0),
      pubMs,
      chinese: source === 1 && n % 2 === 1,
      rev: 0,
    };
  }

  /** Changes the input at random: revisions (new titles and bodies), new items, categories, a lost state. */
  mutate(rand: () => number, burst = false): string[] {
    const changes: string[] = [];
    for (let source = 0; source < SOURCES; source++) {
      if (rand() >= 0.5) continue;
      let revised = 0;
      for (const item of this.items) {
        if (item.source === source && rand() < 0.5) {
          item.rev++;
          revised++;
        }
      }
      changes.push(`s${source}: ${revised} revised`);
    }
    // New items arrive in most runs, so kills also land between a new post's file and its record; now and
    // then a burst, which prunes many posts at once.
    if (burst || rand() < 0.6) {
      const count = burst || rand() < 0.15 ? MAX_ITEMS - 5 : 2 + Math.floor(rand() * 5);
      for (let k = 0; k < count; k++)
        this.items.push(this.newItem(PRUNED_SOURCE, ITEMS_PER_SOURCE + this.added++, this.base + this.added * 60_000));
      changes.push(`s${PRUNED_SOURCE}: ${count} new`);
    }
    if (rand() < 0.2) {
      this.items.push(this.newItem(2, ITEMS_PER_SOURCE + this.added++, this.base + this.added * 60_000));
      changes.push('s2: 1 new');
    }
    if (rand() < 0.15) {
      const source = Math.floor(rand() * SOURCES);
      if (!this.altCategories.delete(source)) this.altCategories.add(source);
      changes.push(`s${source}: categories changed`);
    }
    if (rand() < 0.06) {
      const stateDir = join(this.site.dir, '.newsstand');
      for (const name of existsSync(stateDir) ? readdirSync(stateDir) : []) {
        if (name.startsWith('state.db')) rmSync(join(stateDir, name));
      }
      changes.push('state database deleted');
    }
    this.write();
    return changes;
  }

  /** Gives the items with these links a new revision: a new title, and so a new file name if they had none yet. */
  revise(links: ReadonlySet<string>): void {
    for (const item of this.items) if (links.has(item.link)) item.rev++;
    this.write();
  }

  private categories(source: number): string[] {
    return this.altCategories.has(source) ? ['要闻', `来源 ${source}`, '全部'] : ['新闻', `Source ${source}`, '全部'];
  }

  private title(item: ModelItem): string {
    return item.chinese ? `第${item.n}条 来源${item.source} 第${item.rev}版` : `Story ${item.source}-${item.n} rev ${item.rev}`;
  }

  private body(item: ModelItem): string {
    const filler = '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.</p>'.repeat(4);
    return `<p>Body ${item.source}-${item.n} rev ${item.rev}</p>${filler}<img src="https://img.example/${item.source}/${item.n}.jpg">`;
  }

  private write(): void {
    const sources = [];
    for (let source = 0; source < SOURCES; source++) {
      const items: RssItem[] = this.items
        .filter((item) => item.source === source)
        .map((item) => ({
          title: this.title(item),
          link: item.link,
          guid: item.guid,
          pubDate: item.dated ? new Date(item.pubMs).toUTCString() : undefined,
          description: this.body(item),
        }));
      sources.push({
        file: this.site.writeFeed(`source-${source}.xml`, rss(items, { title: `Source ${source}` })),
        name: `Source ${source}`,
        categories: this.categories(source),
        ...(source === PRUNED_SOURCE ? { retention: { maxItems: MAX_ITEMS } } : {}),
      });
    }
    // The title in the file name: a revised title must not give an item a second file.
    this.site.writeConfig({ site: { filename: ':year-:month-:day-:title-:id' }, sources });
  }

  /** The posts a completed run must leave, by link: title, body revision and categories. */
  expected(): Map<string, { title: string; rev: string; categories: string[] }> {
    const expected = new Map<string, { title: string; rev: string; categories: string[] }>();
    const pruned = this.items
      .filter((item) => item.source === PRUNED_SOURCE)
      .sort((a, b) => b.pubMs - a.pubMs)
      .slice(MAX_ITEMS);
    for (const item of this.items) {
      if (expected.has(item.link) || pruned.includes(item)) continue; // the first source with a link owns it
      expected.set(item.link, {
        title: this.title(item),
        rev: `Body ${item.source}-${item.n} rev ${item.rev}`,
        categories: this.categories(item.source),
      });
    }
    return expected;
  }

  get itemCount(): number {
    return this.items.length;
  }
}

export interface Run {
  /** 'killed' when SIGKILL ended it; otherwise how it exited. */
  outcome: 'killed' | number;
  ms: number;
  stdout: string;
  stderr: string;
}

/**
 * When to kill a run: after a delay; or as soon as a new post file appears (between the files and the state's
 * commit), or a pruned one disappears (between the commit and the other deletions) — windows of a few
 * milliseconds that random delays seldom hit.
 */
export type KillAt = { afterMs: number } | 'first new post' | 'first deleted post' | undefined;

/** Runs `newsstand sync --all` on the site, killing it with SIGKILL as `killAt` says. */
export function runSync(site: TestSite, killAt?: KillAt, extra: string[] = []): Promise<Run> {
  return new Promise((done, fail) => {
    let child: ChildProcess | undefined;
    let watcher: FSWatcher | undefined;
    if (killAt === 'first new post' || killAt === 'first deleted post') {
      // Watching starts before the run does; inotify reports each rename and deletion as it happens.
      mkdirSync(site.postsDir, { recursive: true });
      const before = new Set(readdirSync(site.postsDir));
      watcher = watch(site.postsDir, (_event, name) => {
        if (!name?.endsWith('.md') || name.startsWith('.')) return;
        const hit = killAt === 'first new post' ? !before.has(name) : before.has(name) && !existsSync(join(site.postsDir, name));
        if (hit) child?.kill('SIGKILL');
      });
    }
    const started = Date.now();
    child = spawn(process.execPath, [join(REPO, 'bin/newsstand.js'), 'sync', '--all', '--config', site.configFile, ...extra], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = typeof killAt === 'object' ? setTimeout(() => child?.kill('SIGKILL'), killAt.afterMs) : undefined;
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      watcher?.close();
      done({ outcome: signal === 'SIGKILL' ? 'killed' : (code ?? -1), ms: Date.now() - started, stdout, stderr });
    });
  });
}

export interface PostFile {
  name: string;
  id: string;
  url: string;
  title: string;
  categories: string[];
  content: string;
}

/** Every `.md` in the posts directory, parsed by Hexo's own front-matter parser; throws on any that is not whole. */
export function readPosts(site: TestSite): PostFile[] {
  const posts: PostFile[] = [];
  let entries: Dirent[] = [];
  try {
    entries = readdirSync(site.postsDir, { withFileTypes: true });
  } catch {
    return posts;
  }
  for (const entry of entries) {
    // Hidden files are temporaries (see temporaries()); a directory is what a disk test put in a post's way.
    if (!entry.isFile() || !entry.name.endsWith('.md') || entry.name.startsWith('.')) continue;
    const name = entry.name;
    const text = readFileSync(join(site.postsDir, name), 'utf8');
    const parsed = parseWithHexo(text);
    if (typeof parsed.newsstand_id !== 'string' || !parsed.title || !text.endsWith('\n</div>\n')) {
      throw new Error(`${name} is not a whole post:\n${text.slice(0, 400)}\n…\n${text.slice(-200)}`);
    }
    posts.push({
      name,
      id: parsed.newsstand_id,
      url: String(parsed.original_url),
      title: String(parsed.title),
      categories: parsed.categories as string[],
      content: parsed._content,
    });
  }
  return posts;
}

/** Files a run writes beside their final name and renames: none may outlive the next run. */
export function temporaries(site: TestSite): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (/newsstand-tmp|\.tmp(-|$)/.test(entry.name)) {
        found.push(relative(site.dir, path));
      }
    }
  };
  walk(site.dir);
  return found;
}

export interface StateCheck {
  /** Posts the state records (items with a file). */
  recorded: Map<string, string>;
  integrity: string;
}

/**
 * Reads the state database as the next run would find it and checks that every post it records is on disk,
 * whole, and carries that item's id. Null when there is no state to check yet. It reads a copy (with the WAL
 * a killed run left): SQLite recovers that copy as a run would recover the original, which is left untouched
 * for the next run to recover itself.
 */
export function checkState(site: TestSite, posts: PostFile[]): StateCheck | null {
  const stateDir = join(site.dir, '.newsstand');
  if (!existsSync(join(stateDir, 'state.db'))) return null; // deleted on purpose: the next run rebuilds it
  const copyDir = mkdtempSync(join(tmpdir(), 'newsstand-state-copy-'));
  let db: Database.Database;
  try {
    for (const name of ['state.db', 'state.db-wal', 'state.db-shm']) {
      if (existsSync(join(stateDir, name))) copyFileSync(join(stateDir, name), join(copyDir, name));
    }
    db = new Database(join(copyDir, 'state.db'), { fileMustExist: true });
  } catch (error) {
    rmSync(copyDir, { recursive: true, force: true });
    const files = readdirSync(stateDir).map((name) => `${name} ${statSync(join(stateDir, name)).size} B`);
    throw new Error(
      `cannot read the state database (${(error as { code?: string }).code}: ${(error as Error).message}); .newsstand holds ${files.join(', ')}`,
    );
  }
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check).join('; ');
    // A run killed before it created the schema leaves an empty database: the next one rebuilds from the posts.
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'items'").get()) {
      if (integrity !== 'ok') throw new Error(`the empty state database is damaged: ${integrity}`);
      return null;
    }
    const rows = db.prepare<[], { id: string; file: string }>('SELECT id, file FROM items WHERE file IS NOT NULL').all();
    const onDisk = new Map(posts.map((post) => [post.name, post.id]));
    for (const row of rows) {
      const id = onDisk.get(`${row.file}.md`);
      if (id === undefined) throw new Error(`the state records ${row.file}.md for item ${row.id}, but there is no such post on disk`);
      if (id !== row.id) throw new Error(`the state records ${row.file}.md for item ${row.id}, but that post is item ${id}`);
    }
    return { recorded: new Map(rows.map((row) => [`${row.file}.md`, row.id])), integrity };
  } finally {
    db.close();
    rmSync(copyDir, { recursive: true, force: true });
  }
}

/** Two posts for one item, or for one link, are a duplicate on the site. */
export function duplicates(posts: PostFile[]): string[] {
  const problems: string[] = [];
  for (const key of ['id', 'url'] as const) {
    const seen = new Map<string, string>();
    for (const post of posts) {
      const other = seen.get(post[key]);
      if (other) problems.push(`${other} and ${post.name} share ${key === 'id' ? 'newsstand_id' : 'original_url'} ${post[key]}`);
      seen.set(post[key], post.name);
    }
  }
  return problems;
}
