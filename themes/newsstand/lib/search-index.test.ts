/**
 * lib/search-index.js: the files are a function of the set of posts (whatever was put and deleted before, in
 * whatever order, with saves and restores between), each list holds exactly the posts that have its key, one
 * put changes only the shards of its own keys, and a saved state comes back as it was. The module is plain
 * CommonJS (Hexo's scripts and the renderer require it), loaded here with Node's own require.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { SearchIndex, layoutOf, keyHash } = require('./search-index.js');

function evaluate(file: string): any {
  const module = { exports: {} as any };
  vm.runInThisContext(`(function (module, exports) {${readFileSync(file, 'utf8')}\n})`, { filename: file })(module, module.exports);
  return module.exports;
}

const core = evaluate(join(HERE, '..', 'source', 'js', 'search-core.js'));
const fold: (text: string) => string = core.createFolder(evaluate(join(HERE, '..', 'source', 'js', 'search-fold-table.js')));

type Doc = [string, string, string, string, string, string];
type Files = Map<string, string>;

function filesOf(index: any): Files {
  return new Map(index.files().map((file: { path: string; data: string }) => [file.path, file.data]));
}

function build(posts: Iterable<[string, Doc]>): any {
  const index = new SearchIndex();
  for (const [key, doc] of posts) index.put(key, doc);
  return index;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  return { next, pick };
}

const WORDS = [
  '晶圆',
  '芯片',
  '克里姆林宫',
  '台灣',
  '臺北',
  '新能源',
  '汽车',
  '人工智能',
  'RISC-V',
  'ＲＩＳＣ',
  'risky',
  '5G',
  '网络',
  '的',
  '是',
  '量子',
];
const SOURCES = ['极客日报', '台北科技周报', 'Aljazeera 半岛网'];
/** Few dates, so posts share 10-minute units (and with the colliding keys below, ids). */
const DATES = [
  '2026-11-19T02:00:00.000Z',
  '2026-11-19T02:03:00.000Z',
  '2026-11-19T05:00:00.000Z',
  '2025-01-01T00:00:00.000Z',
  '1960-01-01T00:00:00.000Z',
];

function makeDoc(seed: number): Doc {
  const r = random(seed);
  const phrase = (n: number) => Array.from({ length: n }, () => r.pick(WORDS)).join(r.next() < 0.3 ? ' ' : '');
  return [
    phrase(1 + Math.floor(r.next() * 3)),
    `/p/${seed}/`,
    r.pick(DATES),
    r.pick(SOURCES),
    r.next() < 0.5 ? '科技 · 产业' : '',
    phrase(Math.floor(r.next() * 12)),
  ];
}

/** Keys whose hashes agree in their top 15 bits (all the bits an id ever takes): same date, same id. */
const COLLIDING = (() => {
  const seen = new Map<number, string[]>();
  for (let i = 0; ; i++) {
    const key = `/p/collide-${i}/`;
    const top = keyHash(key) >>> 17;
    const group = seen.get(top) ?? [];
    group.push(key);
    seen.set(top, group);
    if (group.length === 3) return group;
  }
})();
const KEYS = [...COLLIDING, ...Array.from({ length: 9 }, (_, i) => `/p/${i}/`)];

/** Every post of a set of files, by id: what the document shards hold. */
function documentsOf(files: Files): [number, Doc][] {
  const out: [number, Doc][] = [];
  for (const [path, data] of files)
    if (path.startsWith('search/d/')) for (const [id, ...doc] of JSON.parse(data)) out.push([id, doc as Doc]);
  return out;
}

function postingsOf(files: Files): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, data] of files)
    if (path.startsWith('search/p/')) for (const [key, value] of Object.entries(JSON.parse(data))) out.set(key, value as string);
  return out;
}

function keysOf(text: string): Set<string> {
  const keys = new Set<string>();
  core.forEachKey(fold(text), (key: string) => keys.add(key));
  return keys;
}

describe('the files', () => {
  const posts: [string, Doc][] = KEYS.map((key, i) => [key, makeDoc(i + 1)]);
  for (const [key, doc] of posts) if (COLLIDING.includes(key)) doc[2] = DATES[0]!; // the three share one id
  const files = filesOf(build(posts));
  const manifest = JSON.parse(files.get('search.json')!);

  it('have a manifest that names the format, the version, the post count and the layout', () => {
    expect(manifest).toEqual({
      format: 2,
      version: expect.stringMatching(/^[0-9a-f]{12}$/),
      posts: posts.length,
      ...layoutOf(posts.length),
    });
    expect([...files.keys()].filter((path) => path.startsWith('search/p/'))).toHaveLength(manifest.postingShards);
    expect([...files.keys()].filter((path) => path.startsWith('search/d/'))).toHaveLength(manifest.documentShards);
  });

  it('store every post whole, in the document shard of its id, largest id first', () => {
    const stored = documentsOf(files);
    expect(stored.map(([, doc]) => doc).sort()).toEqual(posts.map(([, doc]) => doc).sort());
    for (const [path, data] of files) {
      if (!path.startsWith('search/d/')) continue;
      const ids = JSON.parse(data).map((entry: [number]) => entry[0]);
      for (const id of ids) expect(`search/d/${core.documentShardOf(id, manifest.documentShards)}.json`).toBe(path);
      expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    }
    const ids = new Map(stored.map(([id, doc]) => [doc[1], id]));
    expect(new Set(COLLIDING.map((key) => ids.get(key))).size).toBe(1);
    // newest first: a later 10-minute unit is a larger id
    const byDate = stored
      .filter(([, doc]) => doc[2] !== DATES[0] && doc[2] !== DATES[1])
      .sort((a, b) => Date.parse(b[1][2]) - Date.parse(a[1][2]));
    for (let i = 1; i < byDate.length; i++)
      if (byDate[i - 1]![1][2] !== byDate[i]![1][2]) expect(byDate[i - 1]![0]).toBeGreaterThan(byDate[i]![0]);
  });

  it('list for each key the ids of the posts that have it, and of those that have it in their title', () => {
    const expected = new Map<string, { all: Set<number>; titles: Set<number> }>();
    for (const [id, doc] of documentsOf(files)) {
      const titleKeys = keysOf(doc[0]);
      for (const key of keysOf(core.documentText(doc))) {
        const entry = expected.get(key) ?? { all: new Set(), titles: new Set() };
        entry.all.add(id);
        if (titleKeys.has(key)) entry.titles.add(id);
        expected.set(key, entry);
      }
    }
    const postings = postingsOf(files);
    expect([...postings.keys()].sort()).toEqual([...expected.keys()].sort());
    const descending = (ids: Set<number>) => [...ids].sort((a, b) => b - a);
    for (const [key, value] of postings) {
      const [all = '', titles = ''] = value.split(' ');
      const decode = (text: string) => {
        const ids: number[] = [];
        core.decodeDescending(text, (id: number) => ids.push(id));
        return ids;
      };
      expect(decode(all), key).toEqual(descending(expected.get(key)!.all));
      expect(decode(titles), key).toEqual(descending(expected.get(key)!.titles));
      expect(value, key).toBe(titles ? `${all} ${titles}` : all);
    }
  });

  it('put each key in the shard the browser reads for it, keys in order', () => {
    for (const [path, data] of files) {
      if (!path.startsWith('search/p/')) continue;
      const keys = Object.keys(JSON.parse(data));
      for (const key of keys) expect(`search/p/${core.shardOf(key, manifest.postingShards)}.json`).toBe(path);
      const inFile = [...data.matchAll(/"([^"]+)":"/g)].map((match) => match[1]);
      expect(inFile).toEqual([...inFile].sort());
    }
  });

  it('change version with any document, and not with the order posts were put in', () => {
    const reversed = filesOf(build([...posts].reverse()));
    expect(reversed).toEqual(files);
    const edited = posts.map(([key, doc]): [string, Doc] => [key, key === KEYS[5] ? ([...doc.slice(0, 5), `${doc[5]}。`] as Doc) : doc]);
    expect(JSON.parse(filesOf(build(edited)).get('search.json')!).version).not.toBe(manifest.version);
    const rekeyed = posts.map(([key, doc]): [string, Doc] => [key === KEYS[5] ? '/other/' : key, doc]);
    expect(JSON.parse(filesOf(build(rekeyed)).get('search.json')!).version).not.toBe(manifest.version);
  });

  it('of an empty index are a manifest, an empty posting shard and an empty document shard', () => {
    expect(filesOf(new SearchIndex())).toEqual(
      new Map([
        ['search.json', expect.stringContaining('"posts":0')],
        ['search/p/0.json', '{}'],
        ['search/d/0.json', '[]'],
      ]),
    );
  });
});

describe('order independence', () => {
  type Op = { kind: 'put'; key: number; doc: number } | { kind: 'delete'; key: number } | { kind: 'files' } | { kind: 'save' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('put' as const), key: fc.nat(KEYS.length - 1), doc: fc.nat(40) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.nat(KEYS.length - 1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('files' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('save' as const) }) },
  );
  // Posts of the colliding keys are often put with the first date: their ids are then one.
  const docFor = (key: number, doc: number): Doc => {
    const made = makeDoc(doc * 31 + key);
    if (key < COLLIDING.length && doc % 2 === 0) made[2] = DATES[0]!;
    return made;
  };

  it('random puts and deletes, flushed, saved and restored on the way, give the files of a fresh index of what is left', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.nat(), (ops, shuffle) => {
        let index = new SearchIndex();
        const live = new Map<string, Doc>();
        for (const step of ops) {
          if (step.kind === 'put') {
            const doc = docFor(step.key, step.doc);
            index.put(KEYS[step.key]!, doc);
            live.set(KEYS[step.key]!, doc);
          } else if (step.kind === 'delete') {
            expect(index.delete(KEYS[step.key]!)).toBe(live.delete(KEYS[step.key]!));
          } else if (step.kind === 'files') {
            index.files();
          } else {
            index = SearchIndex.restore(index.save());
          }
          expect(index.size).toBe(live.size);
        }
        const r = random(shuffle);
        const fresh = [...live].sort(() => r.next() - 0.5);
        expect(filesOf(index)).toEqual(filesOf(build(fresh)));
      }),
      { numRuns: 300 },
    );
  });

  it('growing a post at a time across powers of two, then shrinking, renumbers to the files of a fresh index each time', () => {
    let index = new SearchIndex();
    const live = new Map<string, Doc>();
    const check = () => {
      const { files: changed, removed } = index.changes();
      const saved = index.save();
      expect(filesOf(index)).toEqual(filesOf(build(live)));
      index = SearchIndex.restore(saved);
      return { changed, removed };
    };
    for (let i = 0; i < 40; i++) {
      live.set(`/g/${i}/`, makeDoc(1000 + i));
      index.put(`/g/${i}/`, live.get(`/g/${i}/`)!);
      check();
    }
    for (let i = 0; i < 37; i++) {
      live.delete(`/g/${i}/`);
      index.delete(`/g/${i}/`);
      const { removed } = check();
      const after = layoutOf(live.size);
      const before = layoutOf(live.size + 1);
      if (after.documentShards < before.documentShards) expect(removed).toContain(`search/d/${after.documentShards}.json`);
      else expect(removed).toEqual([]);
    }
  });
});

describe('one change', () => {
  // ~2,000 posts of ~300 characters: 1,024 document shards, 256 posting shards.
  const posts = new Map<string, Doc>();
  for (let i = 0; i < 2000; i++) {
    const doc = makeDoc(5000 + i);
    doc[5] = Array.from({ length: 20 }, (_, n) => makeDoc(i * 20 + n)[5]).join('，');
    doc[2] = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
    posts.set(`/c/${i}/`, doc);
  }
  const base = build(posts);
  const state = base.save();
  const baseFiles = filesOf(SearchIndex.restore(state));

  /** After a change to a restored index: what changes() says, checked against a fresh build of the new set. */
  function change(apply: (index: any, live: Map<string, Doc>) => void) {
    const index = SearchIndex.restore(state);
    const live = new Map(posts);
    apply(index, live);
    const { files, removed } = index.changes();
    const expected = filesOf(build(live));
    const patched = new Map(baseFiles);
    for (const file of files) patched.set(file.path, file.data);
    for (const path of removed) patched.delete(path);
    expect(patched).toEqual(expected);
    // nothing reported that did not change
    for (const file of files) expect(baseFiles.get(file.path), file.path).not.toBe(file.data);
    return files.map((file: { path: string }) => file.path) as string[];
  }

  const shardsOfKeys = (doc: Doc) =>
    new Set([...keysOf(core.documentText(doc))].map((key) => `search/p/${core.shardOf(key, layoutOf(posts.size).postingShards)}.json`));

  it('a new post changes the manifest, one document shard and the posting shards of its own keys only', () => {
    const doc = makeDoc(99);
    doc[5] = '一篇新的文章，讲晶圆和芯片';
    doc[2] = '2026-12-01T00:00:00.000Z';
    const changed = change((index, live) => {
      index.put('/c/new/', doc);
      live.set('/c/new/', doc);
    });
    expect(changed.filter((path) => path.startsWith('search/d/'))).toHaveLength(1);
    expect(changed).toContain('search.json');
    const postings = changed.filter((path) => path.startsWith('search/p/'));
    expect(postings.length).toBeGreaterThan(0);
    for (const path of postings) expect(shardsOfKeys(doc)).toContain(path);
  });

  it('a deleted post changes the manifest, its document shard and the posting shards of its keys only', () => {
    const old = posts.get('/c/7/')!;
    const changed = change((index, live) => {
      expect(index.delete('/c/7/')).toBe(true);
      live.delete('/c/7/');
    });
    expect(changed.filter((path) => path.startsWith('search/d/'))).toHaveLength(1);
    for (const path of changed.filter((path) => path.startsWith('search/p/'))) expect(shardsOfKeys(old)).toContain(path);
  });

  it('a post replaced with a new text at the same time keeps its id: one document shard, the shards of the keys that differ', () => {
    const old = posts.get('/c/8/')!;
    const doc: Doc = [...old.slice(0, 5), `${old[5]}，量子计算`] as Doc;
    const changed = change((index, live) => {
      index.put('/c/8/', doc);
      live.set('/c/8/', doc);
    });
    expect(changed.filter((path) => path.startsWith('search/d/'))).toHaveLength(1);
    const before = keysOf(core.documentText(old));
    const differing = [...keysOf(core.documentText(doc))].filter((key) => !before.has(key));
    const shards = new Set(differing.map((key) => `search/p/${core.shardOf(key, layoutOf(posts.size).postingShards)}.json`));
    expect(changed.filter((path) => path.startsWith('search/p/')).sort()).toEqual([...shards].sort());
  });

  it('putting a post again as it is changes nothing', () => {
    const index = SearchIndex.restore(state);
    index.put('/c/9/', posts.get('/c/9/')!);
    expect(index.changes()).toEqual({ files: [], removed: [] });
  });

  it('a post deleted and put back, or a new post put and deleted, changes no posting shard', () => {
    expect(
      change((index) => {
        index.delete('/c/10/');
        index.put('/c/10/', posts.get('/c/10/')!);
        index.put('/c/new/', makeDoc(1));
        index.delete('/c/new/');
      }).filter((path) => path !== 'search.json' && !path.startsWith('search/d/')),
    ).toEqual([]);
  });
});

describe('the saved state', () => {
  const posts: [string, Doc][] = Array.from({ length: 300 }, (_, i) => [`/s/${i}/`, makeDoc(7000 + i)]);
  const index = build(posts);
  const files = filesOf(index);
  const state = index.save();

  it('restores to the same files and size, from its bytes or its text', () => {
    expect(filesOf(SearchIndex.restore(state))).toEqual(files);
    expect(SearchIndex.restore(state).size).toBe(300);
    expect(filesOf(SearchIndex.restore(state.toString('utf8')))).toEqual(files);
    expect(filesOf(SearchIndex.restore(SearchIndex.restore(state).save()))).toEqual(files);
    expect(filesOf(index)).toEqual(files); // saving left the index as it was
  });

  it('written a piece at a time is the bytes save() returns, the index left as it was', () => {
    const written = (from: InstanceType<typeof SearchIndex>) => {
      const pieces: Buffer[] = [];
      from.writeState((piece: string | Buffer) => pieces.push(Buffer.from(piece)));
      return Buffer.concat(pieces);
    };
    const fresh = build(posts);
    const streamed = written(fresh);
    expect(streamed.equals(fresh.save())).toBe(true);
    expect(streamed.equals(state)).toBe(true);
    // A restored index with a change holds some shards as bytes and some as values.
    const changed = SearchIndex.restore(state);
    changed.put('/s/new/', makeDoc(9999));
    changed.delete('/s/3/');
    const files = filesOf(changed);
    const bytes = written(changed);
    expect(filesOf(changed)).toEqual(files);
    expect(bytes.equals(changed.save())).toBe(true);
    expect(filesOf(SearchIndex.restore(bytes))).toEqual(files);
  });

  it('is not much bigger than the files', () => {
    let bytes = 0;
    for (const data of files.values()) bytes += Buffer.byteLength(data);
    expect(state.length).toBeGreaterThanOrEqual(bytes);
    expect(state.length).toBeLessThan(bytes * 1.1 + 4096);
  });

  it('is refused when it is not one: another format, other rules, damaged', () => {
    expect(() => SearchIndex.restore(Buffer.from('{"format":1}'))).toThrow(/not a saved state/);
    expect(() =>
      SearchIndex.restore(Buffer.from(state.toString('utf8').replace(/^newsstand-search-state 1/, 'newsstand-search-state 9'))),
    ).toThrow(/not a saved state/);
    expect(() =>
      SearchIndex.restore(Buffer.from(state.toString('utf8').replace(/"rules":"[0-9a-f]+"/, '"rules":"0000000000000000"'))),
    ).toThrow(/other search rules/);
    expect(() => SearchIndex.restore(state.subarray(0, state.length - 1))).toThrow(/damaged/);
    expect(() => SearchIndex.restore(42 as any)).toThrow(TypeError);
  });
});
