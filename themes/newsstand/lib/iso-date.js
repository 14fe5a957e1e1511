/**
 * A moment's ISO string as its own toISOString writes it, without the UTC copy that method makes (through
 * moment-timezone's offset lookup) only to check the year before it writes its Date's ISO string: most of the
 * cost of date_xml. Anything else than a valid moment of the years 0–9999 is left to `fallback` (Hexo's
 * date_xml, or the moment's own method). src/site/hexo-tuning.ts `momentIso` is the same rule for newsstand's
 * side; the tests hold both to moment's own method.
 */
function isoDate(value, fallback) {
  if (value?._isAMomentObject && value.isValid()) {
    const date = value.toDate();
    const year = date.getUTCFullYear();
    if (year >= 0 && year <= 9999) return date.toISOString();
  }
  return fallback(value);
}

module.exports = { isoDate };
