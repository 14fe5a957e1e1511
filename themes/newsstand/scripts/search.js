/* global hexo */

// Search on a static host, over the whole text of every post, in the browser. The build writes:
//
//   search.json         the manifest: how many posts, how the files below are cut, and a version that every
//                       file below is fetched with (?v=…), so a browser never mixes two builds' files
//   search/p/<n>.json   posting shards: index key → the posts that have it (search-core.js says what a key
//                       is; a key's shard is core.shardOf(key, postingShards))
//   search/d/<n>.json   document shards: posts n·K … n·K + K − 1 (newest first; K = docsPerShard), each
//                       [title, url, date, source, names, text] — what a result shows and its matches are
//                       checked and highlighted in
//   search/index.html   the page (layout search.ejs, scripts js/search-fold-table.js, search-core.js, search.js)
//
// A query reads the manifest, the one posting shard of each of its keys, and the document shards of the
// results it shows (20 at a time): ~110–140 KB gzip at 20,000 posts (bench/parts/search.mjs), where the whole
// index is ~100 MB (41 MB gzip) in ~8,200 files.
//
// The folding and key rules are search-core.js, the same file the browser runs; the theme's package may be a
// JavaScript module package, so the two shared files are evaluated here as the plain scripts they are.

const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');

function loadShared(name) {
  const file = join(__dirname, '..', 'source', 'js', name);
  const module = { exports: {} };
  vm.runInThisContext(`(function (module, exports) {${readFileSync(file, 'utf8')}\n})`, { filename: file })(module, module.exports);
  return module.exports;
}

const core = loadShared('search-core.js');
const foldTable = loadShared('search-fold-table.js');

/** About this many bytes of JSON per document shard: 3 posts of ~4 KB (a page of 20 results reads 20 at most). */
const DOCUMENT_SHARD_BYTES = 12 * 1024;
/**
 * About this many bytes of JSON per posting shard (more, when one key's list is longer). Small shards keep what
 * a query reads close to the lists it needs: at 20,000 posts, 16 KB makes ~1,500 files, 7–15 KB gzip each.
 */
const POSTING_SHARD_BYTES = 16 * 1024;

/**
 * Posting lists written as posts come (each post once per list, in ascending order): per list, the encoded
 * gaps (search-core.js's encodeIds format) in a growing byte buffer, so 20,000 posts' lists take about the
 * bytes they will be written as.
 */
class PostingLists {
  constructor() {
    this.last = new Int32Array(1024).fill(-1);
    this.lengths = new Int32Array(1024);
    this.buffers = [];
  }
  /** Makes list number `this.buffers.length` (lists are made in order, so the arrays stay dense). */
  create() {
    const list = this.buffers.length;
    if (list === this.last.length) {
      const last = new Int32Array(list * 2).fill(-1);
      last.set(this.last);
      this.last = last;
      const lengths = new Int32Array(list * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    this.buffers.push(null);
  }
  add(list, post) {
    const previous = this.last[list];
    if (previous === post) return;
    this.last[list] = post;
    const gap = post - previous - 1;
    let buffer = this.buffers[list];
    let length = this.lengths[list];
    if (!buffer) buffer = this.buffers[list] = new Uint8Array(8);
    else if (length + 7 > buffer.length) {
      const bigger = new Uint8Array(buffer.length * 2);
      bigger.set(buffer);
      buffer = this.buffers[list] = bigger;
    }
    let digits = 1;
    for (let rest = gap >>> 5; rest > 0; rest >>>= 5) digits++;
    for (let k = digits - 1; k > 0; k--) buffer[length++] = DIGIT_CODES[32 + ((gap >>> (5 * k)) & 31)];
    buffer[length++] = DIGIT_CODES[gap & 31];
    this.lengths[list] = length;
  }
  size(list) {
    return this.buffers[list] ? this.lengths[list] : 0;
  }
  text(list) {
    const buffer = this.buffers[list];
    return buffer ? Buffer.from(buffer.buffer, buffer.byteOffset, this.lengths[list]).toString('latin1') : '';
  }
}

const DIGIT_CODES = Uint8Array.from(core.DIGITS, (digit) => digit.charCodeAt(0));

/**
 * The index of `docs` (newest first): { manifest, postingShards: [JSON text], documentShard(n) → JSON text,
 * documentShards: how many }.
 */
function buildIndex(docs) {
  const fold = core.createFolder(foldTable);
  const codeLists = new Map(); // key number (core.forEachKeyCode) → list
  const keyLists = new Map(); // key string → list
  const keys = []; // list → key (number or string)
  const all = new PostingLists();
  const titles = new PostingLists();
  // The list of a key, made on first sight; numeric and string keys are kept in maps of their own.
  const listIn = (lists, key) => {
    let list = lists.get(key);
    if (list === undefined) {
      list = keys.length;
      keys.push(key);
      lists.set(key, list);
      all.create();
      titles.create();
    }
    return list;
  };
  const listOfCode = (code) => listIn(codeLists, code);
  const listOfKey = (key) => listIn(keyLists, key);
  const hash = createHash('sha256');
  let documentBytes = 0;
  for (let post = 0; post < docs.length; post++) {
    const doc = docs[post];
    // Title keys first: they go to both lists; a key met again in the text is already in `all`.
    core.forEachKeyCode(
      fold(doc[0]),
      (code) => {
        const list = listOfCode(code);
        titles.add(list, post);
        all.add(list, post);
      },
      (key) => {
        const list = listOfKey(key);
        titles.add(list, post);
        all.add(list, post);
      },
    );
    core.forEachKeyCode(
      fold(core.documentText(doc)),
      (code) => all.add(listOfCode(code), post),
      (key) => all.add(listOfKey(key), post),
    );
    for (const field of doc) {
      hash.update(field);
      hash.update('\0');
      documentBytes += Buffer.byteLength(field) + 3;
    }
  }

  const keyText = keys.map((key) => (typeof key === 'number' ? core.keyOfCode(key) : key));
  let postingBytes = 0;
  for (let list = 0; list < keys.length; list++) postingBytes += Buffer.byteLength(keyText[list]) + all.size(list) + titles.size(list) + 8;
  const postingShardCount = Math.max(1, Math.ceil(postingBytes / POSTING_SHARD_BYTES));
  const shardEntries = Array.from({ length: postingShardCount }, () => []);
  for (let list = 0; list < keys.length; list++) {
    const value = titles.size(list) ? `${all.text(list)} ${titles.text(list)}` : all.text(list);
    shardEntries[core.shardOf(keyText[list], postingShardCount)].push(`${JSON.stringify(keyText[list])}:"${value}"`);
  }
  const postingShards = shardEntries.map((entries) => `{${entries.join(',')}}`);
  for (const shard of postingShards) hash.update(shard);

  const docsPerShard = Math.max(1, Math.round(DOCUMENT_SHARD_BYTES / Math.max(1, documentBytes / Math.max(1, docs.length))));
  const documentShards = Math.ceil(docs.length / docsPerShard);
  const documentShard = (n) =>
    `[${docs
      .slice(n * docsPerShard, (n + 1) * docsPerShard)
      .map((doc) => JSON.stringify(doc))
      .join(',')}]`;
  const manifest = {
    format: 1,
    version: hash.digest('hex').slice(0, 12),
    posts: docs.length,
    docsPerShard,
    postingShards: postingShardCount,
  };
  return { manifest, postingShards, documentShards, documentShard };
}

hexo.extend.generator.register('newsstand-search', function (locals) {
  const helper = (name) => hexo.extend.helper.get(name).bind(this);
  const urlFor = helper('url_for');
  const chainOf = helper('ns_category_chain');
  const sourceOf = helper('ns_source');
  const plainText = helper('ns_plain_text');
  const docs = locals.posts
    .sort('-date')
    .toArray()
    .map((post) => {
      const names = chainOf(post.categories).map((category) => category.name);
      // The source is the site a post comes from: the second level of newsstand's categories (ns_source
      // says what else stands for it in a post without them).
      const source = names[1] || sourceOf(post) || '';
      const author = typeof post.author === 'string' ? post.author.trim() : '';
      const others = [...names, author].filter((name, i, all) => name && name !== source && all.indexOf(name) === i);
      return [String(post.title || ''), urlFor(post.path), post.date.toISOString(), source, others.join(' · '), plainText(post.content)];
    });
  const { manifest, postingShards, documentShards, documentShard } = buildIndex(docs);
  return [
    { path: 'search.json', data: JSON.stringify(manifest) },
    ...postingShards.map((data, n) => ({ path: `search/p/${n}.json`, data })),
    // Written as Hexo writes them, not all held at once: 20,000 posts' texts are ~80 MB of JSON.
    ...Array.from({ length: documentShards }, (_, n) => ({ path: `search/d/${n}.json`, data: () => documentShard(n) })),
    { path: 'search/index.html', layout: ['search'], data: { type: 'search', title: '' } },
  ];
});

// For the benchmark (bench/parts/search.mjs), which runs the index build without Hexo.
module.exports = { buildIndex };
