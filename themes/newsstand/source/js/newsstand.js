// The page's small behaviours; without JavaScript the page stays complete (absolute times, and CSS covers
// broken pictures where the browser lets it).
(function () {
  // Relative times: every <time class="time" datetime> keeps its absolute text (rendered in the site's
  // timezone) and gets "3 小时前" / "3 hours ago", in the page's language, in a <span class="time-relative">
  // right after it. search.js calls window.newsstandRelativeTimes() for the times it adds.
  var format =
    typeof Intl !== 'undefined' && Intl.RelativeTimeFormat
      ? new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: 'auto' })
      : null;
  var units = [
    ['year', 365 * 24 * 3600],
    ['month', 30 * 24 * 3600],
    ['week', 7 * 24 * 3600],
    ['day', 24 * 3600],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];

  function relative(date) {
    var seconds = (date.getTime() - Date.now()) / 1000;
    for (var i = 0; i < units.length; i++) {
      var size = units[i][1];
      if (Math.abs(seconds) >= size || size === 1) return format.format(Math.round(seconds / size), units[i][0]);
    }
    return '';
  }

  function updateTimes() {
    if (!format) return;
    var times = document.querySelectorAll('time.time[datetime]');
    for (var i = 0; i < times.length; i++) {
      var time = times[i];
      var date = new Date(time.getAttribute('datetime'));
      if (Number.isNaN(date.getTime())) continue;
      var label = time.nextElementSibling;
      if (!label || !label.classList.contains('time-relative')) {
        label = document.createElement('span');
        label.className = 'time-relative';
        time.parentNode.insertBefore(label, time.nextSibling);
      }
      label.textContent = relative(date);
    }
  }

  window.newsstandRelativeTimes = updateTimes;
  updateTimes();
  setInterval(updateTimes, 60 * 1000);

  // Pictures that cannot be loaded (gone, refused, offline): no broken-image icon. The <img> is marked
  // `is-broken` (hidden by the stylesheet); a card's thumbnail box then shows its placeholder, and a post's
  // lead image is left out. Errors come to the document in the capture phase (they do not bubble); pictures
  // that failed before this deferred script ran are found by their state.
  function markBroken(image) {
    if (image.classList.contains('is-broken')) return;
    image.classList.add('is-broken');
    var box = image.closest('.card-thumb, .post-headimg');
    if (box) box.classList.add('is-broken');
  }

  document.addEventListener(
    'error',
    function (event) {
      var target = event.target;
      if (target && target.tagName === 'IMG') markBroken(target);
    },
    true,
  );
  document.addEventListener(
    'load',
    function (event) {
      // An image given a new src that loads is no longer broken.
      var target = event.target;
      if (target && target.tagName === 'IMG' && target.classList.contains('is-broken')) {
        target.classList.remove('is-broken');
        var box = target.closest('.card-thumb, .post-headimg');
        if (box) box.classList.remove('is-broken');
      }
    },
    true,
  );
  // Done but without a picture: decode() tells a broken one (rejects) from, say, an SVG without a size.
  var images = document.images;
  for (var i = 0; i < images.length; i++) {
    var image = images[i];
    if (image.complete && image.naturalWidth === 0 && image.getAttribute('src') && image.decode) {
      image.decode().catch(markBroken.bind(null, image));
    }
  }
})();
