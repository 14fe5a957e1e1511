// Relative times: every <time class="time"> keeps its absolute text (rendered in the site's timezone) as
// its title and shows "3 小时前" / "3 hours ago" in the page's language. Without JS the absolute time stays.
(function () {
  'use strict';
  if (typeof Intl === 'undefined' || !Intl.RelativeTimeFormat) return;
  var format = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: 'auto' });
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

  function update() {
    var times = document.querySelectorAll('time.time[datetime]');
    for (var i = 0; i < times.length; i++) {
      var time = times[i];
      var date = new Date(time.getAttribute('datetime'));
      if (isNaN(date.getTime())) continue;
      if (!time.title) time.title = time.textContent;
      time.textContent = relative(date);
    }
  }

  window.newsstandRelativeTimes = update;
  update();
  setInterval(update, 60 * 1000);
})();
