// Search over the index lib/search-index.js writes: the manifest (/search.json), the posting shards of the
// query's keys, then the document shards of the results shown, 20 at a time (more as the list scrolls).
// The query and the texts are folded alike by search-core.js (full-width → half-width, case, traditional →
// simplified), every term of the query must occur, matches in titles rank first, then newest first, and the
// matched text is marked in the title, the source and a snippet of the text.
(function () {
  var core = self.newsstandSearchCore;
  var results = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  if (!results || !status || !core) return;
  var query = (new URLSearchParams(location.search).get('q') || '').trim();
  var inputs = document.querySelectorAll('form.search input[name="q"]');
  for (var i = 0; i < inputs.length; i++) inputs[i].value = query;
  if (!query) return;

  var PAGE = 20;
  var SNIPPET_BEFORE = 40;
  var SNIPPET_LENGTH = 160;
  var fold = core.createFolder(self.newsstandFoldTable || '');
  var terms = core.parseQuery(query, fold);
  var base = results.dataset.base || '/search/';
  status.textContent = results.dataset.loading;
  // aria-busy: true while results are being read, false once a page of them (or the answer) is shown.
  results.setAttribute('aria-busy', 'true');
  function settled() {
    results.setAttribute('aria-busy', 'false');
  }

  function fetchJson(url, options) {
    return fetch(url, options).then(function (response) {
      if (!response.ok) throw new Error(url + ': ' + response.status);
      return response.json();
    });
  }

  var cache = {};
  function shard(kind, n, version) {
    var url = base + kind + '/' + n + '.json?v=' + encodeURIComponent(version);
    if (!cache[url]) cache[url] = fetchJson(url);
    return cache[url];
  }

  // One lookup's posts as { ids, flags } (ids largest first; flags 1, or 3 with the key in the title): a
  // prefix lookup joins the lists of every key that starts with it.
  function lookupList(lookup, postings) {
    if (!lookup.prefix) return Object.hasOwn(postings, lookup.key) ? core.readPostings(postings[lookup.key]) : { ids: [], flags: [] };
    var flags = new Map();
    for (var key in postings) {
      if (!Object.hasOwn(postings, key) || key.lastIndexOf(lookup.key, 0) !== 0) continue;
      var list = core.readPostings(postings[key]);
      for (var i = 0; i < list.ids.length; i++) flags.set(list.ids[i], (flags.get(list.ids[i]) || 0) | list.flags[i]);
    }
    var ids = Array.from(flags.keys()).sort(function (a, b) {
      return b - a;
    });
    return {
      ids: ids,
      flags: ids.map(function (id) {
        return flags.get(id);
      }),
    };
  }

  // The ids in both lists, each with the flags both give it.
  function intersect(a, b) {
    var ids = [];
    var flags = [];
    for (var i = 0, j = 0; i < a.ids.length && j < b.ids.length; ) {
      if (a.ids[i] > b.ids[j]) i++;
      else if (a.ids[i] < b.ids[j]) j++;
      else {
        ids.push(a.ids[i]);
        flags.push(a.flags[i++] & b.flags[j++]);
      }
    }
    return { ids: ids, flags: flags };
  }

  /** The candidate ids, title matches first, each group newest first; `titles` says how many are title matches. */
  function candidates(manifest) {
    var lookups = [];
    terms.forEach(function (term) {
      lookups.push.apply(lookups, core.termLookups(term));
    });
    return Promise.all(
      lookups.map(function (lookup) {
        return shard('p', core.shardOf(lookup.key, manifest.postingShards), manifest.version);
      }),
    ).then(function (shards) {
      var found = null;
      lookups.forEach(function (lookup, n) {
        var list = lookupList(lookup, shards[n]);
        found = found ? intersect(found, list) : list;
      });
      var inTitle = [];
      var rest = [];
      for (var i = 0; i < found.ids.length; i++) (found.flags[i] & 2 ? inTitle : rest).push(found.ids[i]);
      return { ids: inTitle.concat(rest), titles: inTitle.length };
    });
  }

  // The same absolute form the server renders ("2026-11-20 16:00"), in the site's timezone.
  function absolute(date) {
    var options = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      return new Intl.DateTimeFormat('sv-SE', Object.assign({ timeZone: results.dataset.timezone || undefined }, options)).format(date);
    } catch (_error) {
      return new Intl.DateTimeFormat('sv-SE', options).format(date);
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /** Appends original[from, to) to `node`, the parts inside `spans` (offsets in the same text) as <mark>. */
  function appendMarked(node, original, spans, from, to) {
    var at = from;
    spans.forEach(function (span) {
      var start = Math.max(span[0], at);
      var end = Math.min(span[1], to);
      if (end <= start) return;
      if (start > at) node.appendChild(document.createTextNode(original.slice(at, start)));
      node.appendChild(element('mark', '', original.slice(start, end)));
      at = end;
    });
    if (at < to) node.appendChild(document.createTextNode(original.slice(at, to)));
  }

  /** Moves an offset off the second half of a surrogate pair. */
  function onCharacter(text, offset) {
    var unit = text.charCodeAt(offset);
    return unit >= 0xdc00 && unit <= 0xdfff ? offset + 1 : offset;
  }

  function renderResult(doc, original, folded) {
    var titleEnd = doc[0].length;
    var sourceStart = titleEnd + 1;
    var sourceEnd = sourceStart + doc[3].length;
    var textStart = sourceEnd + 1 + doc[4].length + 1;
    var textEnd = original.length;

    var item = element('li', 'search-result');
    var heading = element('h2', 'search-result-title');
    var link = element('a');
    link.href = doc[1];
    appendMarked(link, original, core.matchSpans(folded, terms, 0, titleEnd), 0, titleEnd);
    heading.appendChild(link);
    item.appendChild(heading);

    var meta = element('p', 'card-meta');
    if (doc[3]) {
      var source = element('span', 'source');
      appendMarked(source, original, core.matchSpans(folded, terms, sourceStart, sourceEnd), sourceStart, sourceEnd);
      meta.appendChild(source);
    }
    var time = element('time', 'time', absolute(new Date(doc[2])));
    time.setAttribute('datetime', doc[2]);
    meta.appendChild(time);
    item.appendChild(meta);

    if (textEnd > textStart) {
      var spans = core.matchSpans(folded, terms, textStart, textEnd);
      var from = textStart;
      if (spans.length) from = Math.max(textStart, spans[0][0] - SNIPPET_BEFORE);
      from = onCharacter(original, from);
      var to = onCharacter(original, Math.min(textEnd, from + SNIPPET_LENGTH));
      if (spans.length && to < spans[0][1]) to = spans[0][1];
      var snippet = element('p', 'search-result-text');
      if (from > textStart) snippet.appendChild(document.createTextNode('…'));
      appendMarked(snippet, original, spans, from, to);
      if (to < textEnd) snippet.appendChild(document.createTextNode('…'));
      item.appendChild(snippet);
    }
    return item;
  }

  // Exact once every candidate's document was read; until then an estimate, said as one: a candidate may be
  // false (a longer query's pairs can all occur apart) or stand for two posts that share an id.
  function showCount(count, exact) {
    var text = exact === false ? results.dataset.countAbout : results.dataset.count;
    status.textContent = count ? text.replace('{count}', String(count)) : results.dataset.none;
  }

  function run(manifest) {
    if (!terms.length || !manifest.posts) {
      showCount(0);
      settled();
      return Promise.resolve();
    }
    return candidates(manifest).then(function (found) {
      var ids = found.ids;
      // Candidates are counted by id until their documents are read: a false one (a longer query's pairs may
      // all occur apart) is taken off, and a second post of the same id added.
      var count = ids.length;
      var next = 0;
      var ready = []; // documents read and matched, in the order they are shown
      var loading = false;
      var sentinel = element('div', 'search-more');
      results.parentNode.insertBefore(sentinel, results.nextSibling);
      showCount(count, ids.length === 0);
      // An id is a post's time (in units of 2^slotBits ids) and a few bits of hash: the order of the posts
      // within one unit is known once their documents are read.
      var unit = 2 ** manifest.slotBits;
      function group(n) {
        return n < found.titles ? 0 : 1;
      }
      function sameUnit(a, b) {
        return group(a) === group(b) && Math.floor(ids[a] / unit) === Math.floor(ids[b] / unit);
      }

      // Reads the documents of the next candidates — a page's worth, and the rest of the last one's time unit
      // — keeps those the text bears out, newest first, and renders until a page is full.
      function page(wanted) {
        if (ready.length < wanted && next < ids.length) {
          var from = next;
          var to = Math.min(ids.length, next + wanted - ready.length);
          while (to < ids.length && sameUnit(to - 1, to)) to++;
          next = to;
          var batch = ids.slice(from, to);
          return Promise.all(
            batch.map(function (id) {
              return shard('d', core.documentShardOf(id, manifest.documentShards), manifest.version);
            }),
          ).then(function (shards) {
            var read = [];
            batch.forEach(function (id, n) {
              var matched = 0;
              shards[n].forEach(function (entry) {
                if (entry[0] !== id) return;
                var doc = entry.slice(1);
                var original = core.documentText(doc);
                var folded = fold(original);
                if (!core.matchesAll(folded, terms)) return;
                read.push({ group: group(from + n), doc: doc, original: original, folded: folded });
                matched++;
              });
              count += matched - 1;
            });
            read.sort(function (a, b) {
              return a.group - b.group || Date.parse(b.doc[2]) - Date.parse(a.doc[2]);
            });
            ready = ready.concat(read);
            return page(wanted);
          });
        }
        var shown = ready.splice(0, wanted);
        shown.forEach(function (result) {
          results.appendChild(renderResult(result.doc, result.original, result.folded));
        });
        showCount(count, next >= ids.length);
        if (self.newsstandRelativeTimes) self.newsstandRelativeTimes();
        return Promise.resolve();
      }

      function finished() {
        return next >= ids.length && !ready.length;
      }

      function more() {
        if (loading) return;
        if (finished()) return settled();
        loading = true;
        results.setAttribute('aria-busy', 'true');
        page(PAGE)
          .then(function () {
            loading = false;
            if (!finished() && visible()) return more();
            if (finished() && observer) observer.disconnect();
            settled();
          })
          .catch(failed);
      }

      function visible() {
        return sentinel.getBoundingClientRect().top < window.innerHeight + 600;
      }

      var observer =
        'IntersectionObserver' in self
          ? new IntersectionObserver(
              function (entries) {
                if (
                  entries.some(function (entry) {
                    return entry.isIntersecting;
                  })
                )
                  more();
              },
              { rootMargin: '600px 0px' },
            )
          : null;
      if (observer) observer.observe(sentinel);
      else
        window.addEventListener(
          'scroll',
          function () {
            if (visible()) more();
          },
          { passive: true },
        );
      more();
    });
  }

  function failed() {
    status.textContent = results.dataset.failed;
    settled();
  }

  // The manifest is always revalidated: it names the version of every other file a query reads.
  fetchJson(results.dataset.index, { cache: 'no-cache' }).then(run).catch(failed);
})();
