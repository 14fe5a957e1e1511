// Search over the index scripts/search.js writes: the manifest (/search.json), the posting shards of the
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

  // One lookup's posts, as marks: 1 the post has the key(s), 2 it has them in its title.
  function lookupMarks(lookup, postings, count) {
    var marks = new Uint8Array(count);
    function add(value) {
      var space = value.indexOf(' ');
      core.decodeIds(space < 0 ? value : value.slice(0, space), function (id) {
        if (id < count) marks[id] |= 1;
      });
      if (space >= 0) {
        core.decodeIds(value.slice(space + 1), function (id) {
          if (id < count) marks[id] |= 2;
        });
      }
    }
    if (!lookup.prefix) {
      if (Object.hasOwn(postings, lookup.key)) add(postings[lookup.key]);
    } else {
      for (var key in postings) {
        if (Object.hasOwn(postings, key) && key.lastIndexOf(lookup.key, 0) === 0) add(postings[key]);
      }
    }
    return marks;
  }

  /** The candidates, title matches first, each group newest first. */
  function candidates(manifest) {
    var count = manifest.posts;
    var lookups = [];
    terms.forEach(function (term) {
      lookups.push.apply(lookups, core.termLookups(term));
    });
    return Promise.all(
      lookups.map(function (lookup) {
        return shard('p', core.shardOf(lookup.key, manifest.postingShards), manifest.version);
      }),
    ).then(function (shards) {
      var all = new Uint8Array(count).fill(3);
      lookups.forEach(function (lookup, n) {
        var marks = lookupMarks(lookup, shards[n], count);
        for (var id = 0; id < count; id++) all[id] &= marks[id];
      });
      var inTitle = [];
      var rest = [];
      for (var id = 0; id < count; id++) {
        if (all[id] & 2) inTitle.push(id);
        else if (all[id] & 1) rest.push(id);
      }
      return inTitle.concat(rest);
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

  function showCount(count) {
    status.textContent = count ? results.dataset.count.replace('{count}', String(count)) : results.dataset.none;
  }

  function run(manifest) {
    if (!terms.length || !manifest.posts) {
      showCount(0);
      settled();
      return Promise.resolve();
    }
    return candidates(manifest).then(function (ids) {
      var count = ids.length;
      var next = 0;
      var loading = false;
      var sentinel = element('div', 'search-more');
      results.parentNode.insertBefore(sentinel, results.nextSibling);
      showCount(count);

      // Renders the next page of results: reads the document shards of the next candidates, drops those the
      // text does not bear out (a longer query's pairs may all occur apart), and goes on until a page is full.
      function page(wanted) {
        if (next >= ids.length) return Promise.resolve();
        var batch = ids.slice(next, next + wanted);
        next += batch.length;
        return Promise.all(
          batch.map(function (id) {
            return shard('d', Math.floor(id / manifest.docsPerShard), manifest.version);
          }),
        ).then(function (shards) {
          var shown = 0;
          batch.forEach(function (id, n) {
            var doc = shards[n][id % manifest.docsPerShard];
            var original = core.documentText(doc);
            var folded = fold(original);
            if (!core.matchesAll(folded, terms)) {
              count--;
              return;
            }
            results.appendChild(renderResult(doc, original, folded));
            shown++;
          });
          showCount(count);
          if (self.newsstandRelativeTimes) self.newsstandRelativeTimes();
          return shown < wanted ? page(wanted - shown) : undefined;
        });
      }

      function more() {
        if (loading) return;
        if (next >= ids.length) return settled();
        loading = true;
        results.setAttribute('aria-busy', 'true');
        page(PAGE)
          .then(function () {
            loading = false;
            if (next < ids.length && visible()) return more();
            if (next >= ids.length && observer) observer.disconnect();
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
