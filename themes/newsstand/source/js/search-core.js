/*
 * newsstand search: what the build (scripts/search.js) and the browser (js/search.js) must do alike.
 *
 * - Folding: a text is compared in a folded form, one character for one character (so a position in the
 *   folded text is the same position in the original, which is how matches are highlighted): compatibility
 *   forms to their plain form as Unicode's NFKC has them (ＲＩＳＣ → RISC, ｶ → カ, 兀 → 兀), lower case,
 *   and traditional Chinese (and its Taiwan and Hong Kong variants) to simplified by the table
 *   search-fold-table.js ships (晶圓 → 晶圆).
 * - Keys: folded text is cut into runs. Runs of a script written without spaces (Chinese, Japanese, Korean,
 *   Thai, …) give every character and every pair of neighbouring characters, so any substring is found by
 *   its pairs (or, one character long, by itself) without a dictionary to cut words with.
 *   Runs of other letters and digits are words, indexed whole (their first MAX_WORD characters) and found by
 *   prefix. Everything else separates.
 * - Posts are numbered by a post id that depends on the post alone (lib/search-index.js: its time in
 *   10-minute units, then a few bits of a hash of its key), so adding a post renumbers no other.
 * - Posting lists: the ids of the posts that have a key, largest (newest) first, as gaps in a base-32 varint
 *   string; a second list, after a space, holds those that have the key in their title.
 * - Matching: the index finds candidates; a query's terms are then looked for in each candidate's text, which
 *   both drops the few false candidates and gives the places to highlight.
 */
(function (factory) {
  if (typeof module === 'object' && module && module.exports) module.exports = factory();
  else self.newsstandSearchCore = factory();
})(function () {
  var SEPARATOR = 0;
  var WORD = 1;
  var GRAM = 2;
  /** Words are indexed by this many UTF-16 units at most; longer ones are found by that prefix. */
  var MAX_WORD = 24;

  var LETTER = /[\p{L}\p{N}\p{M}]/u;

  /** Scripts written without spaces between words: indexed by pairs of characters. */
  function isGramScript(cp) {
    return (
      (cp >= 0x0e00 && cp <= 0x0eff) || // Thai, Lao
      (cp >= 0x1000 && cp <= 0x109f) || // Myanmar
      (cp >= 0x1100 && cp <= 0x11ff) || // Hangul Jamo
      (cp >= 0x1780 && cp <= 0x17ff) || // Khmer
      (cp >= 0x2e80 && cp <= 0x2fdf) || // CJK and Kangxi radicals
      (cp >= 0x3005 && cp <= 0x3007) || // 々 〆 〇
      (cp >= 0x3021 && cp <= 0x3029) || // Hangzhou numerals
      (cp >= 0x3031 && cp <= 0x3035) || // kana repeat marks
      (cp >= 0x3040 && cp <= 0x30ff) || // Hiragana, Katakana (ー included)
      (cp >= 0x3130 && cp <= 0x318f) || // Hangul compatibility Jamo
      (cp >= 0x31f0 && cp <= 0x31ff) || // Katakana extensions
      (cp >= 0x3400 && cp <= 0x4dbf) || // CJK extension A
      (cp >= 0x4e00 && cp <= 0x9fff) || // CJK unified ideographs
      (cp >= 0xa960 && cp <= 0xa97f) || // Hangul Jamo extended A
      (cp >= 0xac00 && cp <= 0xd7ff) || // Hangul syllables, Jamo extended B
      (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility ideographs
      (cp >= 0xff66 && cp <= 0xff9f) || // half-width Katakana
      (cp >= 0x20000 && cp <= 0x323af) // CJK extensions B–H
    );
  }

  var classCache = new Uint8Array(0x10000); // class + 1; 0: not looked at yet

  function computeClass(cp) {
    if (isGramScript(cp)) return GRAM;
    if (cp >= 0xd800 && cp <= 0xdfff) return SEPARATOR; // a lone surrogate
    return LETTER.test(String.fromCodePoint(cp)) ? WORD : SEPARATOR;
  }

  /** SEPARATOR, WORD or GRAM. */
  function classOf(cp) {
    if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) ? WORD : SEPARATOR;
    if (cp > 0xffff) return computeClass(cp);
    var cached = classCache[cp];
    if (cached) return cached - 1;
    var value = computeClass(cp);
    classCache[cp] = value + 1;
    return value;
  }

  function sizeAt(text, i) {
    var unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      var next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) return 2;
    }
    return 1;
  }

  function classAt(text, i) {
    return classOf(text.codePointAt(i));
  }

  /** The class of the character that ends just before `i`. */
  function classBefore(text, i) {
    if (i <= 0) return SEPARATOR;
    var unit = text.charCodeAt(i - 1);
    if (unit >= 0xdc00 && unit <= 0xdfff && i >= 2) {
      var high = text.charCodeAt(i - 2);
      if (high >= 0xd800 && high <= 0xdbff) return classOf(text.codePointAt(i - 2));
    }
    return classOf(unit);
  }

  function fromCodes(codes) {
    var out = '';
    for (var i = 0; i < codes.length; i += 8192) out += String.fromCharCode.apply(null, codes.subarray(i, i + 8192));
    return out;
  }

  /**
   * A fold function: text → folded text of the same length (UTF-16 units). `table` is a string of pairs of
   * characters (from, to, from, to, …), as search-fold-table.js holds them.
   */
  function createFolder(table) {
    var map = new Map();
    var pairs = Array.from(table || '');
    for (var p = 0; p + 1 < pairs.length; p += 2) map.set(pairs[p], pairs[p + 1]);
    var bmp = new Uint16Array(0x10000);
    var known = new Uint8Array(0x10000);
    var astral = new Map();

    function foldCharacter(character) {
      var folded = character.normalize('NFKC');
      if (folded.length !== character.length) folded = character; // ½ → 1⁄2, ㍿ → 株式会社: left as they are
      var lower = folded.toLowerCase();
      if (lower.length === folded.length) folded = lower;
      var simplified = map.get(folded);
      if (simplified !== undefined && simplified.length === character.length) folded = simplified;
      return folded;
    }

    return function fold(text) {
      text = String(text);
      var length = text.length;
      var codes = new Uint16Array(length);
      var changed = false;
      for (var i = 0; i < length; i++) {
        var unit = text.charCodeAt(i);
        if (unit < 0x80) {
          var ascii = unit >= 0x41 && unit <= 0x5a ? unit + 32 : unit;
          codes[i] = ascii;
          if (ascii !== unit) changed = true;
          continue;
        }
        if (unit >= 0xd800 && unit <= 0xdbff && sizeAt(text, i) === 2) {
          var pair = text.slice(i, i + 2);
          var folded = astral.get(pair);
          if (folded === undefined) {
            folded = foldCharacter(pair);
            astral.set(pair, folded);
          }
          codes[i] = folded.charCodeAt(0);
          codes[i + 1] = folded.charCodeAt(1);
          if (folded !== pair) changed = true;
          i++;
          continue;
        }
        if (!known[unit]) {
          bmp[unit] = foldCharacter(String.fromCharCode(unit)).charCodeAt(0);
          known[unit] = 1;
        }
        codes[i] = bmp[unit];
        if (codes[i] !== unit) changed = true;
      }
      return changed ? fromCodes(codes) : text;
    };
  }

  /** The runs of letters of a (folded) text, separators left out: [class, start, end, class, start, end, …]. */
  function runs(text) {
    var out = [];
    var current = SEPARATOR;
    var start = 0;
    for (var i = 0; i < text.length; ) {
      var size = sizeAt(text, i);
      var kind = classOf(text.codePointAt(i));
      if (kind !== current) {
        if (current !== SEPARATOR) out.push(current, start, i);
        current = kind;
        start = i;
      }
      i += size;
    }
    if (current !== SEPARATOR) out.push(current, start, text.length);
    return out;
  }

  function truncateWord(word) {
    if (word.length <= MAX_WORD) return word;
    var cut = word.slice(0, MAX_WORD);
    var last = cut.charCodeAt(cut.length - 1);
    return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
  }

  /**
   * The index keys of a folded text, in the order they occur (a key may come more than once). A key of one
   * or two characters of the BMP is written into `codes` as a number (first << 16 | second, see keyOfCode),
   * which is what the build counts fast; any other key is written as 0 and pushed to `keys` as a string.
   * `codes` must hold 2 × text.length numbers; returns how many it was given. One pass, no strings for the
   * common keys: a full build walks some 50 million keys.
   */
  function keyCodes(text, codes, keys) {
    var count = 0;
    var length = text.length;
    var runKind = SEPARATOR;
    var runStart = 0;
    var previous = -1; // where the last character of a gram run started (-1: none)
    var previousUnit = 0; // that character as one unit, or 0 when it is a surrogate pair
    for (var i = 0; i < length; ) {
      var unit = text.charCodeAt(i);
      var size = 1;
      var kind;
      if (unit >= 0xd800 && unit <= 0xdbff && sizeAt(text, i) === 2) {
        size = 2;
        kind = classOf(text.codePointAt(i));
      } else kind = classOf(unit);
      if (kind !== runKind) {
        if (runKind === WORD) {
          codes[count++] = 0;
          keys.push(truncateWord(text.slice(runStart, i)));
        }
        runKind = kind;
        runStart = i;
        previous = -1;
      }
      if (kind === GRAM) {
        var single = size === 1 ? unit : 0;
        if (previous >= 0) {
          if (previousUnit && single) codes[count++] = (previousUnit << 16) | single;
          else {
            codes[count++] = 0;
            keys.push(text.slice(previous, i + size));
          }
        }
        if (single) codes[count++] = single << 16;
        else {
          codes[count++] = 0;
          keys.push(text.slice(i, i + 2));
        }
        previous = i;
        previousUnit = single;
      }
      i += size;
    }
    if (runKind === WORD) {
      codes[count++] = 0;
      keys.push(truncateWord(text.slice(runStart, length)));
    }
    return count;
  }

  /** The key a number of keyCodes stands for. */
  function keyOfCode(code) {
    var second = code & 0xffff;
    var first = (code >>> 16) & 0xffff;
    return second ? String.fromCharCode(first, second) : String.fromCharCode(first);
  }

  /** Calls `visit` with every index key of a folded text, as a string, in order (a key may come more than once). */
  function forEachKey(text, visit) {
    var codes = new Int32Array(2 * text.length);
    var keys = [];
    var count = keyCodes(text, codes, keys);
    for (var i = 0, k = 0; i < count; i++) visit(codes[i] === 0 ? keys[k++] : keyOfCode(codes[i]));
  }

  /**
   * The posting shard (0 … shards - 1) a key is in: a gram key's by the whole key; a word key's by its first
   * two UTF-16 units, so that the keys a word prefix of two or more stands for are all in one shard.
   */
  function shardOf(key, shards) {
    var length = classOf(key.codePointAt(0)) === GRAM ? key.length : Math.min(2, key.length);
    var hash = 0x811c9dc5;
    for (var i = 0; i < length; i++) {
      hash ^= key.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0) % shards;
  }

  // Posting strings: each number in base 32, most significant digit first; the last digit of a number comes
  // from the first half of the alphabet, the others from the second half.
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT_VALUES = new Int8Array(128).fill(-1);
  for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUES[DIGITS.charCodeAt(d)] = d;

  /** Ids in descending order (array or typed array, `from` … `to`) as a posting string: the first, then gaps. */
  function encodeDescending(ids, from, to) {
    if (from === undefined) from = 0;
    if (to === undefined) to = ids.length;
    var out = '';
    for (var i = from; i < to; i++) out += encodeNumber(i === from ? ids[i] : ids[i - 1] - ids[i] - 1);
    return out;
  }

  /** One number (up to 2^53) in the digits of a posting string. */
  function encodeNumber(value) {
    var text = DIGITS.charAt(value % 32);
    for (value = Math.floor(value / 32); value > 0; value = Math.floor(value / 32)) text = DIGITS.charAt(32 + (value % 32)) + text;
    return text;
  }

  /** Calls `visit` with each id of a descending posting string, in order (largest first). */
  function decodeDescending(text, visit) {
    var previous = -1;
    var value = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT_VALUES[text.charCodeAt(i) & 127];
      if (digit < 0) continue;
      if (digit >= 32) {
        value = value * 32 + (digit - 32);
      } else {
        value = value * 32 + digit;
        previous = previous < 0 ? value : previous - value - 1;
        value = 0;
        visit(previous);
      }
    }
  }

  /**
   * A posting shard's value for one key ("<ids> <ids in titles>") as { ids, flags }: the ids largest first,
   * and for each 1, or 3 when the post has the key in its title too.
   */
  function readPostings(value) {
    var space = value.indexOf(' ');
    var ids = [];
    decodeDescending(space < 0 ? value : value.slice(0, space), function (id) {
      ids.push(id);
    });
    var flags = new Uint8Array(ids.length).fill(1);
    if (space >= 0) {
      var at = 0;
      decodeDescending(value.slice(space + 1), function (id) {
        while (at < ids.length && ids[at] > id) at++;
        if (ids[at] === id) flags[at] = 3;
      });
    }
    return { ids: ids, flags: flags };
  }

  /**
   * The document shard (0 … shards - 1) that holds the posts of an id: a 32-bit mix of the id (which may pass
   * 2^32), so that posts of the same minutes spread over all shards.
   */
  function documentShardOf(id, shards) {
    var low = id % 4294967296;
    var hash = mix32((low | 0) ^ mix32(Math.floor(id / 4294967296) | 0));
    return hash % shards;
  }

  /** MurmurHash3's finalizer: every bit of the input moves every bit of the output. */
  function mix32(hash) {
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
    return hash >>> 0;
  }

  /**
   * A query as terms (split at white space; a post must match every term), each a list of segments
   * { kind: WORD | GRAM, text } in the order they are written. Terms without a letter are dropped.
   */
  function parseQuery(query, fold) {
    var terms = [];
    var parts = fold(String(query || '')).split(/\s+/);
    for (var p = 0; p < parts.length; p++) {
      var list = runs(parts[p]);
      if (!list.length) continue;
      var segments = [];
      for (var r = 0; r < list.length; r += 3) segments.push({ kind: list[r], text: parts[p].slice(list[r + 1], list[r + 2]) });
      terms.push(segments);
    }
    return terms;
  }

  /**
   * What to ask the index for one term: lookups a post must all satisfy, each { key, prefix } — with
   * `prefix`, any key that starts with `key` will do. Every lookup's keys are in the shard of `key`.
   */
  function termLookups(segments) {
    var lookups = [];
    for (var s = 0; s < segments.length; s++) {
      var text = segments[s].text;
      if (segments[s].kind === WORD) {
        var last = s === segments.length - 1;
        if (text.length < 2 || (!last && text.length <= MAX_WORD)) lookups.push({ key: text, prefix: false });
        else lookups.push({ key: truncateWord(text), prefix: true });
        continue;
      }
      if (sizeAt(text, 0) === text.length) {
        lookups.push({ key: text, prefix: false });
        continue;
      }
      for (var i = 0; i < text.length; ) {
        var next = i + sizeAt(text, i);
        if (next >= text.length) break;
        lookups.push({ key: text.slice(i, next + sizeAt(text, next)), prefix: false });
        i = next;
      }
    }
    return lookups;
  }

  /**
   * Where the term's segments, in order and with only separators between them, occur in `folded` at `at`:
   * the end of the match, or -1. A word segment starts a word; one that is not the last of its term, or that
   * is a single character, ends one too (the last one may be a prefix: "ris" finds "risc").
   */
  function matchAt(folded, segments, at) {
    var position = at;
    for (var s = 0; s < segments.length; s++) {
      var segment = segments[s];
      if (s > 0) {
        while (position < folded.length && classAt(folded, position) === SEPARATOR) position += sizeAt(folded, position);
      }
      if (!folded.startsWith(segment.text, position)) return -1;
      var end = position + segment.text.length;
      if (segment.kind === WORD) {
        if (s === 0 && classBefore(folded, position) === WORD) return -1;
        var whole = s < segments.length - 1 || segment.text.length < 2;
        if (whole && end < folded.length && classAt(folded, end) === WORD) return -1;
      }
      position = end;
    }
    return position;
  }

  /** The first match of a term in `folded` starting at or after `from`, as [start, end], or null. */
  function findTerm(folded, segments, from) {
    var first = segments[0].text;
    for (var at = folded.indexOf(first, from || 0); at >= 0; at = folded.indexOf(first, at + 1)) {
      var end = matchAt(folded, segments, at);
      if (end >= 0) return [at, end];
    }
    return null;
  }

  /** Whether every term occurs in `folded`. */
  function matchesAll(folded, terms) {
    for (var t = 0; t < terms.length; t++) if (!findTerm(folded, terms[t], 0)) return false;
    return terms.length > 0;
  }

  /**
   * Every match of any term that starts inside [from, to) of `folded`, cut at `to`, as sorted, merged
   * [start, end] spans.
   */
  function matchSpans(folded, terms, from, to) {
    var spans = [];
    for (var t = 0; t < terms.length; t++) {
      for (var match = findTerm(folded, terms[t], from); match && match[0] < to; match = findTerm(folded, terms[t], match[1])) {
        spans.push([match[0], Math.min(match[1], to)]);
      }
    }
    spans.sort(function (a, b) {
      return a[0] - b[0] || b[1] - a[1];
    });
    var merged = [];
    for (var i = 0; i < spans.length; i++) {
      var last = merged[merged.length - 1];
      if (last && spans[i][0] <= last[1]) last[1] = Math.max(last[1], spans[i][1]);
      else merged.push([spans[i][0], spans[i][1]]);
    }
    return merged;
  }

  /**
   * A post as the index stores it: [title, url, date (ISO), source, names, text]. What the index keys and the
   * matching read is this one string: title, source, the other names (categories, author) and the text.
   */
  function documentText(doc) {
    return doc[0] + '\n' + doc[3] + '\n' + doc[4] + '\n' + doc[5];
  }

  return {
    SEPARATOR: SEPARATOR,
    WORD: WORD,
    GRAM: GRAM,
    MAX_WORD: MAX_WORD,
    classOf: classOf,
    createFolder: createFolder,
    runs: runs,
    forEachKey: forEachKey,
    keyCodes: keyCodes,
    keyOfCode: keyOfCode,
    DIGITS: DIGITS,
    shardOf: shardOf,
    encodeDescending: encodeDescending,
    encodeNumber: encodeNumber,
    decodeDescending: decodeDescending,
    readPostings: readPostings,
    documentShardOf: documentShardOf,
    mix32: mix32,
    parseQuery: parseQuery,
    termLookups: termLookups,
    findTerm: findTerm,
    matchesAll: matchesAll,
    matchSpans: matchSpans,
    documentText: documentText,
  };
});
