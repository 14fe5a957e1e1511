'use strict';
/*
 * The search index of the newsstand theme, as a value that is updated a post at a time: the Hexo generator
 * (scripts/search.js) puts every post and writes files(); a renderer that keeps the index between builds
 * restores it, puts and deletes the posts that changed, writes changes() and saves it again. Either way the
 * files are a function of the set of (key, document) pairs alone, whatever happened before.
 *
 * The files (search-core.js says what an index key is, and reads the posting strings):
 *
 *   search.json         the manifest: { format: 2, version, posts, postingShards, documentShards, slotBits }.
 *                       Every file below is fetched with ?v=<version>, a hash of the set of posts (and of the
 *                       rules of search-core.js and its fold table), so a browser never mixes two builds.
 *   search/p/<n>.json   posting shards: { key: "<ids> <ids of posts with the key in their title>" }, keys in
 *                       code-unit order, each list largest id first (core.decodeDescending). A key is in shard
 *                       core.shardOf(key, postingShards): a function of the key alone.
 *   search/d/<n>.json   document shards: [[id, title, url, date, source, names, text], …], largest id first,
 *                       posts of one id in the order of their keys. A post is in core.documentShardOf(id,
 *                       documentShards).
 *
 * A post's id is its time and a few bits of the hash of its key: (date in 10-minute units) · 2^slotBits +
 * the top slotBits bits of the key's hash. So lists in id order are newest first (the browser reads a page
 * of results without reading the other documents), and a post's id never depends on another post. Two posts
 * may share an id (same 10 minutes, same bits): both are in the one document shard of the id, the lists say
 * the id has a key when either has it, and the browser checks every candidate against its text anyway.
 *
 * The shard counts and slotBits are a function of the number of posts (layoutOf): 2^k document shards for
 * 2^k < posts ≤ 2^(k+1) (1–2 posts a shard), a quarter of that many posting shards, and more bits of hash
 * below 2,048 posts, where they cost nothing. Crossing a power of two renumbers and moves everything once.
 * Otherwise a put or delete changes the manifest, the posting shards of the post's own keys and one
 * document shard (two when a replaced post's id changed).
 *
 * The state save() returns is the files themselves, behind a small header and the table of keys and ids:
 * restore() reads only the header and the table, and decodes a shard when a change reaches it.
 */

const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');

// The two browser files are plain scripts, not modules; they are evaluated here as search.js evaluates them.
function loadShared(name) {
  const file = join(__dirname, '..', 'source', 'js', name);
  const text = readFileSync(file, 'utf8');
  const module = { exports: {} };
  vm.runInThisContext(`(function (module, exports) {${text}\n})`, { filename: file })(module, module.exports);
  return { exports: module.exports, text };
}

const coreFile = loadShared('search-core.js');
const tableFile = loadShared('search-fold-table.js');
const core = coreFile.exports;
const fold = core.createFolder(tableFile.exports);
/** The keys of a text follow these two files: a state saved under other rules is of no use, a manifest must differ. */
const RULES = createHash('sha256').update(coreFile.text).update('\0').update(tableFile.text).digest('hex').slice(0, 16);

const FORMAT = 2;
const STATE_MAGIC = 'newsstand-search-state';
const STATE_FORMAT = 1;
const UNIT_MS = 10 * 60 * 1000;
const DIGIT_VALUES = new Int8Array(128).fill(-1);
for (let d = 0; d < core.DIGITS.length; d++) DIGIT_VALUES[core.DIGITS.charCodeAt(d)] = d;
const DIGIT_CODES = Uint8Array.from(core.DIGITS, (digit) => digit.charCodeAt(0));

/** The shard counts and id bits for a number of posts (see the top of this file). */
function layoutOf(posts) {
  let k = 0;
  while (2 ** (k + 1) < posts) k++;
  return { documentShards: 2 ** k, postingShards: 2 ** Math.max(0, k - 2), slotBits: Math.max(5, 15 - k) };
}

function sameLayout(a, b) {
  return a.documentShards === b.documentShards && a.postingShards === b.postingShards && a.slotBits === b.slotBits;
}

/** FNV-1a over the UTF-16 units of a key, mixed: the bits of a post's id that are not its time. */
function keyHash(key) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return core.mix32(hash);
}

/** The 10-minute unit of an ISO date: 0 for what is not a date or is before 1970. */
function unitOf(date) {
  const ms = Date.parse(date);
  return Number.isFinite(ms) && ms > 0 ? Math.min(Math.floor(ms / UNIT_MS), 2 ** 32) : 0;
}

function idOf(unit, hash, slotBits) {
  return unit * 2 ** slotBits + (hash >>> (32 - slotBits));
}

/** A document as the index stores it: six strings. */
function normalize(doc) {
  if (!Array.isArray(doc)) throw new TypeError('a search document is [title, url, date, source, names, text]');
  return Array.from({ length: 6 }, (_, i) => (doc[i] === undefined || doc[i] === null ? '' : String(doc[i])));
}

/** The hash of one (key, document) pair, as two 32-bit numbers: the version XORs them over all posts. */
function pairHash(key, json) {
  const digest = createHash('sha256').update(key).update('\0').update(json).digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}

/** The keys of a document: { all, title } sets of strings. */
function keysOf(doc) {
  const title = new Set();
  const all = new Set();
  core.forEachKey(fold(doc[0]), (key) => title.add(key));
  core.forEachKey(fold(core.documentText(doc)), (key) => all.add(key));
  return { all, title };
}

// ── posting strings ─────────────────────────────────────────────────────────────────────────────────────────

let tokenValue = 0;
/** Reads the number that starts at `at`: its value in tokenValue, returns where the next one starts. */
function readToken(text, at) {
  let value = 0;
  for (;;) {
    const digit = DIGIT_VALUES[text.charCodeAt(at++) & 127];
    if (digit >= 32) value = value * 32 + (digit - 32);
    else {
      tokenValue = value * 32 + digit;
      return at;
    }
  }
}

function decodeAll(text) {
  const ids = [];
  core.decodeDescending(text, (id) => ids.push(id));
  return ids;
}

/**
 * A descending posting string with some ids made present or absent: `edits` is [id, present, id, present, …]
 * in descending order of id. Only the number after each edit is written anew; the rest is copied as it is,
 * and the string is read no further than the last edit (a new post is at the front of every list).
 */
function editDescending(text, edits) {
  let out = '';
  let copyFrom = 0; // text[copyFrom, at) is still to be copied, unchanged
  let at = 0;
  let previousOld = -1; // the last id read from `text`
  let previousNew = -1; // the last id in `out`
  const keep = (id, end) => {
    if (previousNew !== previousOld) {
      // the gap before this id changed: write it anew
      out += text.slice(copyFrom, at) + core.encodeNumber(previousNew < 0 ? id : previousNew - id - 1);
      copyFrom = end;
    }
    previousOld = previousNew = id;
    at = end;
  };
  for (let e = 0; e < edits.length; e += 2) {
    const target = edits[e];
    const present = edits[e + 1];
    let found = false;
    while (at < text.length) {
      const end = readToken(text, at);
      const id = previousOld < 0 ? tokenValue : previousOld - tokenValue - 1;
      if (id < target) break;
      if (id === target) {
        found = true;
        if (present) keep(id, end);
        else {
          out += text.slice(copyFrom, at);
          copyFrom = at = end;
          previousOld = id;
        }
        break;
      }
      keep(id, end);
    }
    if (!found && present) {
      out += text.slice(copyFrom, at) + core.encodeNumber(previousNew < 0 ? target : previousNew - target - 1);
      copyFrom = at;
      previousNew = target;
    }
  }
  if (at < text.length && previousNew !== previousOld) {
    const end = readToken(text, at);
    keep(previousOld < 0 ? tokenValue : previousOld - tokenValue - 1, end);
  }
  return out + text.slice(copyFrom);
}

/**
 * The new lists of one flush: for each key, the ids of the pending posts that have it, and of those that
 * have it in their title, each appended as the digits it will be written as (the posts come largest id
 * first). A full build passes every key of every post through here (50 million at 20,000 posts), hence the
 * flat arrays: a key of one BMP character finds its list by that character, a pair of them (both as
 * core.keyCodes' number) in an open-addressing table, other keys in a Map; a list is a slot in typed
 * arrays.
 */
class NewLists {
  constructor() {
    this.singles = new Int32Array(1 << 16); // character → list + 1 (0: none yet)
    this.table = new Int32Array(1 << 16); // code, list + 1, code, list + 1, … (list + 1 = 0: empty)
    this.tableMask = (1 << 15) - 1;
    this.tableCount = 0;
    this.keyLists = new Map();
    this.keys = [];
    this.lastAll = new Float64Array(1024);
    this.lastTitle = new Float64Array(1024);
    this.allLength = new Int32Array(1024);
    this.titleLength = new Int32Array(1024);
    this.allBytes = [];
    this.titleBytes = [];
    this.codes = new Int32Array(1 << 16); // core.keyCodes' numbers of one text
    this.strings = []; // and its other keys
  }
  get count() {
    return this.keys.length;
  }
  addPost(id, doc) {
    this.addKeys(id, fold(doc[0]), true);
    this.addKeys(id, fold(core.documentText(doc)), false);
  }
  /** Appends the id to the list of each key of a text (and to its title list too with `title`). */
  addKeys(id, text, title) {
    if (this.codes.length < 2 * text.length) this.codes = new Int32Array(4 * text.length);
    const codes = this.codes;
    const strings = this.strings;
    strings.length = 0;
    const count = core.keyCodes(text, codes, strings);
    for (let i = 0, k = 0; i < count; i++) {
      const code = codes[i];
      const list = code === 0 ? this.listOfKey(strings[k++]) : this.listOfCode(code);
      this.add(list, id, false);
      if (title) this.add(list, id, true);
    }
  }
  listOfCode(code) {
    if ((code & 0xffff) === 0) {
      // one character: its own slot
      const list = this.singles[code >>> 16];
      return list ? list - 1 : (this.singles[code >>> 16] = this.newList(code) + 1) - 1;
    }
    const table = this.table;
    let slot = core.mix32(code);
    for (;;) {
      slot &= this.tableMask;
      const value = table[2 * slot + 1];
      if (value === 0) break;
      if (table[2 * slot] === code) return value - 1;
      slot++;
    }
    const list = this.newList(code);
    table[2 * slot] = code;
    table[2 * slot + 1] = list + 1;
    if (2 * ++this.tableCount > this.tableMask) this.growTable();
    return list;
  }
  growTable() {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.tableMask = this.tableMask * 2 + 1;
    for (let slot = 0; slot < old.length; slot += 2) {
      if (old[slot + 1] === 0) continue;
      let at = core.mix32(old[slot]);
      for (; ; at++) {
        at &= this.tableMask;
        if (this.table[2 * at + 1] === 0) break;
      }
      this.table[2 * at] = old[slot];
      this.table[2 * at + 1] = old[slot + 1];
    }
  }
  listOfKey(key) {
    let list = this.keyLists.get(key);
    if (list === undefined) this.keyLists.set(key, (list = this.newList(key)));
    return list;
  }
  newList(key) {
    const list = this.keys.length;
    this.keys.push(key);
    this.allBytes.push(null);
    this.titleBytes.push(null);
    if (list === this.lastAll.length) {
      const grow = (array) => {
        const bigger = new array.constructor(array.length * 2);
        bigger.set(array);
        return bigger;
      };
      this.lastAll = grow(this.lastAll);
      this.lastTitle = grow(this.lastTitle);
      this.allLength = grow(this.allLength);
      this.titleLength = grow(this.titleLength);
    }
    this.lastAll[list] = this.lastTitle[list] = -1;
    return list;
  }
  /** Appends an id to a list (its title list with `title`), unless it is the id appended last. */
  add(list, id, title) {
    const last = title ? this.lastTitle : this.lastAll;
    const previous = last[list];
    if (previous === id) return;
    last[list] = id;
    const gap = previous < 0 ? id : previous - id - 1;
    const lengths = title ? this.titleLength : this.allLength;
    const buffers = title ? this.titleBytes : this.allBytes;
    let length = lengths[list];
    let bytes = buffers[list];
    if (bytes === null) bytes = buffers[list] = new Uint8Array(12);
    else if (length + 11 > bytes.length) {
      const bigger = new Uint8Array(bytes.length * 2);
      bigger.set(bytes);
      bytes = buffers[list] = bigger;
    }
    if (gap < 0x40000000) {
      // the common case, in 32-bit arithmetic
      let digits = 1;
      for (let rest = gap >>> 5; rest > 0; rest >>>= 5) digits++;
      for (let k = digits - 1; k > 0; k--) bytes[length++] = DIGIT_CODES[32 + ((gap >>> (5 * k)) & 31)];
      bytes[length++] = DIGIT_CODES[gap & 31];
    } else {
      const digits = core.encodeNumber(gap);
      for (let k = 0; k < digits.length; k++) bytes[length++] = digits.charCodeAt(k);
    }
    lengths[list] = length;
  }
  keyText(list) {
    const key = this.keys[list];
    return typeof key === 'number' ? core.keyOfCode(key) : key;
  }
  allText(list) {
    return latin1(this.allBytes[list], this.allLength[list]);
  }
  titleText(list) {
    return latin1(this.titleBytes[list], this.titleLength[list]);
  }
  /** Lets a list go once it is written. */
  release(list) {
    this.allBytes[list] = this.titleBytes[list] = null;
  }
}

function latin1(bytes, length) {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('latin1') : '';
}

// ── the index ───────────────────────────────────────────────────────────────────────────────────────────────

/** One file of the index; its text is made when it is read. */
function file(path, text) {
  const entry = { path };
  Object.defineProperty(entry, 'data', { enumerable: true, get: text });
  return entry;
}

/**
 * A posting shard: its stored bytes, or its keys decoded (key → posting string) once a change reached it;
 * `saved` keeps the bytes it had when restored or saved, to tell whether it changed since.
 */
function postingShard(bytes) {
  return { bytes, saved: bytes, values: bytes ? null : new Map(), dirty: !bytes };
}

/** A document shard: its stored bytes, or the keys of its posts once a change reached it; `saved` as above. */
function documentShard(bytes) {
  return { bytes, saved: bytes, keys: bytes ? null : new Set(), dirty: !bytes };
}

class SearchIndex {
  /** key → { id, unit, hash, json (the document as JSON; null while it is only in its shard's bytes), pending, bytes } */
  #posts = new Map();
  /** id → key, or the keys (sorted) of every post of that id */
  #byId = new Map();
  /** keys of the posts put since the last flush */
  #pending = new Set();
  /** index key → Map(id → 1: drop the id, 2: drop it from the title list only), from deletes of flushed posts */
  #removals = new Map();
  #version = [0, 0];
  #layout = layoutOf(0);
  #postings = [postingShard(null)];
  #documents = [documentShard(null)];
  /** the layout of the files when last restored or saved (null: never), and its manifest */
  #savedLayout = null;
  #savedManifest = null;

  get size() {
    return this.#posts.size;
  }

  /** Adds a post, or replaces the one of the same key. `doc` is [title, url, dateISO, source, names, text]. */
  put(key, doc) {
    key = String(key);
    const normal = normalize(doc);
    const json = JSON.stringify(normal);
    const old = this.#posts.get(key);
    if (old && old.json === null) this.#decodeDocuments(this.#documentShardOf(old.id));
    if (old && old.json === json) return;
    if (old) this.delete(key);
    const unit = unitOf(normal[2]);
    const hash = keyHash(key);
    const post = { id: idOf(unit, hash, this.#layout.slotBits), unit, hash, json, pending: true, bytes: Buffer.byteLength(json) };
    this.#posts.set(key, post);
    this.#pending.add(key);
    this.#addToId(post.id, key);
    this.#xorVersion(pairHash(key, json));
  }

  /** Removes a post; says whether there was one. */
  delete(key) {
    key = String(key);
    const post = this.#posts.get(key);
    if (!post) return false;
    if (post.pending) {
      this.#pending.delete(key);
    } else {
      const shard = this.#documents[this.#documentShardOf(post.id)];
      this.#decodeDocuments(this.#documentShardOf(post.id));
      this.#recordRemovals(key, post);
      shard.keys.delete(key);
      shard.dirty = true;
    }
    this.#xorVersion(pairHash(key, post.json));
    this.#posts.delete(key);
    this.#removeFromId(post.id, key);
    return true;
  }

  /** Every file of the index, each { path, data } (data is made when read). */
  files() {
    this.#flush();
    return [
      this.#manifestFile(),
      ...this.#postings.map((_, n) => this.#postingFile(n)),
      ...this.#documents.map((_, n) => this.#documentFile(n)),
    ];
  }

  /**
   * What differs from the files as they were when this index was restored or last saved (for a new index:
   * every file): { files: [{ path, data }], removed: [path] } — removed when the shard counts went down.
   */
  changes() {
    this.#flush();
    const files = [];
    const manifest = this.#manifestText();
    const relaid = !this.#savedLayout || !sameLayout(this.#savedLayout, this.#layout);
    if (manifest !== this.#savedManifest) files.push(this.#manifestFile());
    // A shard a change reached may have come back to what it was (a post deleted and put back).
    const differs = (shard, bytes, text) => !shard.saved || shard.saved.length !== bytes() || !shard.saved.equals(Buffer.from(text()));
    this.#postings.forEach((shard, n) => {
      if (
        relaid ||
        (shard.dirty &&
          differs(
            shard,
            () => this.#postingBytes(shard),
            () => this.#postingText(shard),
          ))
      )
        files.push(this.#postingFile(n));
    });
    this.#documents.forEach((shard, n) => {
      if (
        relaid ||
        (shard.dirty &&
          differs(
            shard,
            () => this.#documentBytes(shard),
            () => this.#documentText(shard),
          ))
      )
        files.push(this.#documentFile(n));
    });
    const removed = [];
    if (this.#savedLayout) {
      for (let n = this.#layout.postingShards; n < this.#savedLayout.postingShards; n++) removed.push(`search/p/${n}.json`);
      for (let n = this.#layout.documentShards; n < this.#savedLayout.documentShards; n++) removed.push(`search/d/${n}.json`);
    }
    return { files, removed };
  }

  /**
   * The state for restore(): a Buffer holding the files and the table of keys and ids. Afterwards the index
   * reads its shards from that Buffer (the documents' text is held once, as bytes).
   */
  save() {
    const layout = this.#stateLayout();
    const state = Buffer.allocUnsafe(layout.total);
    let at = 0;
    const put = (piece) => {
      const bytes = typeof piece === 'string' ? state.write(piece, at) : piece.copy(state, at);
      at += bytes;
      return bytes;
    };
    // Each post's text let go once written: a site's documents are never held twice.
    this.#emitState(layout, put, (kind, n, start, end) => {
      if (kind === 'posting') this.#postings[n] = postingShard(state.subarray(start, end));
      else this.#documents[n] = documentShard(state.subarray(start, end));
    });
    this.#savedLayout = this.#layout;
    this.#savedManifest = this.#manifestText();
    return state;
  }

  /**
   * The bytes save() returns, handed to `write` a Buffer at a time, the index left as it was: for a process that
   * ends once the state is saved, which need not hold the files a second time (~110 MB at 20,000 posts).
   */
  writeState(write) {
    this.#emitState(this.#stateLayout(), (piece) => {
      const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
      write(bytes);
      return bytes.length;
    });
  }

  /**
   * Hands the state's pieces in order to `out`, which returns the bytes it took, checking each shard against the
   * length the header gives it. With `shardDone` (save), each shard's place is reported and each post's text let go.
   */
  #emitState({ top, tableText, postingLengths, documentLengths }, out, shardDone) {
    let at = out(top) + out(tableText);
    const shard = (kind, n, length, pieces) => {
      const start = at;
      pieces((piece) => {
        at += out(piece);
      });
      if (at - start !== length) throw new Error(`search index: a ${kind} shard is not the length it was measured at`);
      shardDone?.(kind, n, start, at);
    };
    this.#postings.forEach((posting, n) => {
      shard('posting', n, postingLengths[n], (emit) => emit(posting.values ? this.#postingText(posting) : posting.bytes));
    });
    this.#documents.forEach((document, n) => {
      shard('document', n, documentLengths[n], (emit) => {
        if (!document.keys) {
          emit(document.bytes);
          return;
        }
        emit('[');
        this.#sortedDocumentKeys(document).forEach((key, i) => {
          const post = this.#posts.get(key);
          emit(`${i ? ',' : ''}[${post.id},`);
          emit(post.json.slice(1));
          if (shardDone) post.json = null;
        });
        emit(']');
      });
    });
  }

  /** The state's first line and header, the table of keys and ids, and the length of each shard in it. */
  #stateLayout() {
    this.#flush();
    const table = [];
    for (const [key, post] of this.#posts) table.push(key, post.id);
    const tableText = JSON.stringify(table);
    const postingLengths = this.#postings.map((shard) => (shard.values ? this.#postingBytes(shard) : shard.bytes.length));
    const documentLengths = this.#documents.map((shard) => (shard.keys ? this.#documentBytes(shard) : shard.bytes.length));
    const header = JSON.stringify({
      rules: RULES,
      layout: this.#layout,
      version: this.#version,
      manifest: this.#manifestText(),
      table: Buffer.byteLength(tableText),
      postings: postingLengths,
      documents: documentLengths,
    });
    const top = `${STATE_MAGIC} ${STATE_FORMAT}\n${header}\n`;
    const total = Buffer.byteLength(top) + Buffer.byteLength(tableText) + sum(postingLengths) + sum(documentLengths);
    return { top, tableText, postingLengths, documentLengths, total };
  }

  /** An index from what save() returned (a Buffer, or its text); throws on a state it cannot read. */
  static restore(state) {
    if (typeof state === 'string') state = Buffer.from(state, 'utf8');
    if (!(state instanceof Uint8Array)) throw new TypeError('search index: a saved state is a Buffer or a string');
    state = Buffer.from(state.buffer, state.byteOffset, state.byteLength);
    const firstLine = state.indexOf(10);
    const secondLine = firstLine < 0 ? -1 : state.indexOf(10, firstLine + 1);
    if (secondLine < 0 || state.toString('utf8', 0, firstLine) !== `${STATE_MAGIC} ${STATE_FORMAT}`)
      throw new Error(`search index: not a saved state of format ${STATE_FORMAT}`);
    const header = JSON.parse(state.toString('utf8', firstLine + 1, secondLine));
    if (header.rules !== RULES)
      throw new Error('search index: the state was saved under other search rules (search-core.js or its fold table)');
    let at = secondLine + 1;
    const table = JSON.parse(state.toString('utf8', at, at + header.table));
    at += header.table;
    const layout = layoutOf(table.length / 2);
    if (
      !sameLayout(layout, header.layout) ||
      header.postings.length !== layout.postingShards ||
      header.documents.length !== layout.documentShards
    )
      throw new Error('search index: a damaged state (its shard counts)');
    const index = new SearchIndex();
    index.#layout = layout;
    index.#postings = header.postings.map((length) => postingShard(state.subarray(at, (at += length))));
    index.#documents = header.documents.map((length) => documentShard(state.subarray(at, (at += length))));
    if (at !== state.length) throw new Error('search index: a damaged state (its length)');
    for (let i = 0; i < table.length; i += 2) {
      const key = table[i];
      const id = table[i + 1];
      index.#posts.set(key, { id, unit: Math.floor(id / 2 ** layout.slotBits), hash: keyHash(key), json: null, pending: false, bytes: 0 });
      index.#addToId(id, key);
    }
    index.#version = header.version;
    index.#savedLayout = index.#layout;
    index.#savedManifest = header.manifest;
    return index;
  }

  // ── posts and ids ──

  #xorVersion([high, low]) {
    this.#version = [(this.#version[0] ^ high) >>> 0, (this.#version[1] ^ low) >>> 0];
  }

  #addToId(id, key) {
    const had = this.#byId.get(id);
    if (had === undefined) this.#byId.set(id, key);
    else this.#byId.set(id, [...(typeof had === 'string' ? [had] : had), key].sort(compare));
  }

  #removeFromId(id, key) {
    const had = this.#byId.get(id);
    if (typeof had === 'string') this.#byId.delete(id);
    else {
      const rest = had.filter((each) => each !== key);
      this.#byId.set(id, rest.length === 1 ? rest[0] : rest);
    }
  }

  /** The keys of the posts of an id that are in the files (not pending), sorted. */
  #flushedKeysOf(id) {
    const had = this.#byId.get(id);
    const keys = had === undefined ? [] : typeof had === 'string' ? [had] : had;
    return keys.filter((key) => !this.#posts.get(key).pending);
  }

  /**
   * A flushed post leaves: the ids to drop from its keys' lists at the next flush — each key, unless another
   * flushed post of the same id has it too (then its title list only, unless that one has it in its title).
   */
  #recordRemovals(key, post) {
    const doc = JSON.parse(post.json);
    const own = keysOf(doc);
    const partners = this.#flushedKeysOf(post.id)
      .filter((other) => other !== key)
      .map((other) => keysOf(JSON.parse(this.#posts.get(other).json)));
    for (const indexKey of own.all) {
      let kind = 1;
      if (partners.some((keys) => keys.all.has(indexKey))) {
        if (!own.title.has(indexKey) || partners.some((keys) => keys.title.has(indexKey))) continue;
        kind = 2;
      }
      let ids = this.#removals.get(indexKey);
      if (!ids) this.#removals.set(indexKey, (ids = new Map()));
      ids.set(post.id, Math.min(ids.get(post.id) ?? kind, kind));
    }
  }

  // ── applying the puts and deletes to the shards ──

  #documentShardOf(id) {
    return core.documentShardOf(id, this.#layout.documentShards);
  }

  /** Gives the posts of a stored document shard their text back, and the shard its keys. */
  #decodeDocuments(n) {
    const shard = this.#documents[n];
    if (shard.keys) return;
    const entries = JSON.parse(shard.bytes.toString('utf8'));
    const keys = new Set();
    for (let i = 0; i < entries.length; ) {
      const id = entries[i][0];
      const owners = this.#flushedKeysOf(id);
      for (const owner of owners) {
        const entry = entries[i++];
        if (!entry || entry[0] !== id) throw new Error('search index: a document shard does not hold the posts of its ids');
        const post = this.#posts.get(owner);
        post.json = JSON.stringify(entry.slice(1));
        post.bytes = Buffer.byteLength(post.json);
        keys.add(owner);
      }
      if (!owners.length) throw new Error('search index: a document shard holds a post the table does not know');
    }
    shard.keys = keys;
    shard.bytes = null;
  }

  #decodePostings(n) {
    const shard = this.#postings[n];
    if (shard.values) return shard.values;
    shard.values = new Map(Object.entries(JSON.parse(shard.bytes.toString('utf8'))));
    shard.bytes = null;
    return shard.values;
  }

  #flush() {
    const layout = layoutOf(this.#posts.size);
    if (!sameLayout(layout, this.#layout)) return this.#relayout(layout);
    if (!this.#pending.size && !this.#removals.size) return;
    const lists = new NewLists();
    const pending = [...this.#pending].map((key) => [key, this.#posts.get(key)]);
    pending.sort((a, b) => b[1].id - a[1].id || compare(a[0], b[0]));
    for (const [key, post] of pending) {
      lists.addPost(post.id, JSON.parse(post.json));
      const n = this.#documentShardOf(post.id);
      if (this.#documents[n].bytes) this.#decodeDocuments(n);
      this.#documents[n].keys.add(key);
      this.#documents[n].dirty = true;
    }
    for (const [, post] of pending) post.pending = false;
    this.#pending.clear();

    const removals = this.#removals;
    this.#removals = new Map();
    const shards = this.#layout.postingShards;
    const update = (key, all, titles) => {
      const values = this.#decodePostings(core.shardOf(key, shards));
      const old = values.get(key);
      const removed = removals.get(key);
      let value;
      if (old === undefined && !all) return;
      if (old === undefined) value = titles ? `${all} ${titles}` : all;
      else {
        const space = old.indexOf(' ');
        const oldAll = space < 0 ? old : old.slice(0, space);
        const oldTitles = space < 0 ? '' : old.slice(space + 1);
        const added = all ? decodeAll(all) : [];
        const addedTitles = titles ? decodeAll(titles) : [];
        const newAll = editDescending(oldAll, edits(added, removed, 1));
        const newTitles = editDescending(oldTitles, edits(addedTitles, removed, 2));
        value = newAll && (newTitles ? `${newAll} ${newTitles}` : newAll);
      }
      if (value === old) return;
      if (value) values.set(key, value);
      else values.delete(key);
      this.#postings[core.shardOf(key, shards)].dirty = true;
    };
    for (let list = 0; list < lists.count; list++) {
      const key = lists.keyText(list);
      update(key, lists.allText(list), lists.titleText(list));
      lists.release(list);
      removals.delete(key);
    }
    for (const key of removals.keys()) update(key, '', '');
  }

  /** The shard counts or id bits changed: every post is put again under the new ones. */
  #relayout(layout) {
    for (let n = 0; n < this.#documents.length; n++) if (this.#documents[n].bytes) this.#decodeDocuments(n);
    this.#layout = layout;
    this.#postings = Array.from({ length: layout.postingShards }, () => postingShard(null));
    this.#documents = Array.from({ length: layout.documentShards }, () => documentShard(null));
    this.#removals.clear();
    this.#byId.clear();
    for (const [key, post] of this.#posts) {
      post.id = idOf(post.unit, post.hash, layout.slotBits);
      post.pending = true;
      this.#pending.add(key);
      this.#addToId(post.id, key);
    }
    this.#flush();
  }

  // ── the files ──

  #manifestText() {
    const version = createHash('sha256')
      .update(`${FORMAT} ${RULES} ${JSON.stringify(this.#layout)} ${this.#posts.size} ${this.#version[0]} ${this.#version[1]}`)
      .digest('hex')
      .slice(0, 12);
    return JSON.stringify({ format: FORMAT, version, posts: this.#posts.size, ...this.#layout });
  }

  #manifestFile() {
    return file('search.json', () => this.#manifestText());
  }

  #postingFile(n) {
    const shard = this.#postings[n];
    return file(`search/p/${n}.json`, () => (shard.values ? this.#postingText(shard) : shard.bytes.toString('utf8')));
  }

  #documentFile(n) {
    const shard = this.#documents[n];
    return file(`search/d/${n}.json`, () => (shard.keys ? this.#documentText(shard) : shard.bytes.toString('utf8')));
  }

  #postingText(shard) {
    const keys = [...shard.values.keys()].sort(compare);
    return `{${keys.map((key) => `${JSON.stringify(key)}:"${shard.values.get(key)}"`).join(',')}}`;
  }

  #postingBytes(shard) {
    let bytes = 2 + Math.max(0, shard.values.size - 1);
    for (const [key, value] of shard.values) bytes += Buffer.byteLength(JSON.stringify(key)) + value.length + 3;
    return bytes;
  }

  #sortedDocumentKeys(shard) {
    return [...shard.keys].sort((a, b) => this.#posts.get(b).id - this.#posts.get(a).id || compare(a, b));
  }

  #documentText(shard) {
    return `[${this.#sortedDocumentKeys(shard)
      .map((key) => {
        const post = this.#posts.get(key);
        return `[${post.id},${post.json.slice(1)}`;
      })
      .join(',')}]`;
  }

  #documentBytes(shard) {
    let bytes = 2 + Math.max(0, shard.keys.size - 1);
    for (const key of shard.keys) {
      const post = this.#posts.get(key);
      bytes += String(post.id).length + 2 + post.bytes - 1;
    }
    return bytes;
  }
}

/** One key's edits to a list: the added ids present, the removed ones (of the kinds that reach it) absent. */
function edits(added, removed, kind) {
  const out = [];
  const adding = added.length > 8 ? new Set(added) : null;
  const isAdded = (id) => (adding ? adding.has(id) : added.includes(id));
  const drop = removed ? [...removed].filter(([id, each]) => each <= kind && !isAdded(id)).map(([id]) => id) : [];
  drop.sort((a, b) => b - a);
  let d = 0;
  for (const id of added) {
    while (d < drop.length && drop[d] > id) out.push(drop[d++], false);
    out.push(id, true);
  }
  while (d < drop.length) out.push(drop[d++], false);
  return out;
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sum(numbers) {
  let total = 0;
  for (const n of numbers) total += n;
  return total;
}

// layoutOf and keyHash are for the tests, which make posts share an id on purpose.
module.exports = { SearchIndex, layoutOf, keyHash };
