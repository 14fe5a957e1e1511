// Search over /search.json: case-insensitive substring matching (works for Chinese, which has no spaces to
// split words at) on title, source and text; every word of the query must match; title matches rank first.
(function () {
  'use strict';
  var results = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  if (!results || !status) return;
  var query = (new URLSearchParams(location.search).get('q') || '').trim();
  var inputs = document.querySelectorAll('form.search input[name="q"]');
  for (var i = 0; i < inputs.length; i++) inputs[i].value = query;
  if (!query) return;

  var words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  status.textContent = results.dataset.loading;

  function score(entry) {
    var title = (entry.title || '').toLocaleLowerCase();
    var rest = [entry.source, (entry.categories || []).join(' '), entry.text].join(' ').toLocaleLowerCase();
    var inTitle = 0;
    for (var i = 0; i < words.length; i++) {
      if (title.indexOf(words[i]) >= 0) inTitle++;
      else if (rest.indexOf(words[i]) < 0) return -1;
    }
    return inTitle;
  }

  // The same absolute form the server renders ("2026-11-20 16:00"), in the site's timezone.
  function absolute(date) {
    var options = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      return new Intl.DateTimeFormat('sv-SE', Object.assign({ timeZone: results.dataset.timezone || undefined }, options)).format(date);
    } catch (error) {
      return new Intl.DateTimeFormat('sv-SE', options).format(date);
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function render(entries) {
    results.textContent = '';
    status.textContent = entries.length ? results.dataset.count.replace('{count}', String(entries.length)) : results.dataset.none;
    entries.forEach(function (entry) {
      var item = element('li', 'search-result');
      var heading = element('h2', 'search-result-title');
      var link = element('a', '', entry.title);
      link.href = entry.url;
      heading.appendChild(link);
      item.appendChild(heading);
      var meta = element('p', 'card-meta');
      if (entry.source) meta.appendChild(element('span', 'source', entry.source));
      var time = element('time', 'time', absolute(new Date(entry.date)));
      time.setAttribute('datetime', entry.date);
      meta.appendChild(time);
      item.appendChild(meta);
      if (entry.text) item.appendChild(element('p', 'search-result-text', entry.text));
      results.appendChild(item);
    });
    if (window.newsstandRelativeTimes) window.newsstandRelativeTimes();
  }

  fetch(results.dataset.index)
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(function (index) {
      var matches = [];
      index.forEach(function (entry, position) {
        var value = score(entry);
        if (value >= 0) matches.push({ entry: entry, score: value, position: position });
      });
      // The index is newest first: equal scores keep that order.
      matches.sort(function (a, b) {
        return b.score - a.score || a.position - b.position;
      });
      render(matches.map(function (match) { return match.entry; }));
    })
    .catch(function () {
      status.textContent = results.dataset.failed;
    });
})();
