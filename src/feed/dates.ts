/**
 * Feed dates to instants. Feeds write dates in many dialects (RFC 822 with named zones, W3C-DTF, Chinese
 * `2022年1月8日`, `2022/01/08 19:58`), often without a zone. Each dialect has a strict pattern of its own; a
 * date that fits none, or names an impossible moment, reads as null rather than as a guess — a missing date
 * is better than a wrong one. `new Date(text)` is never used on the raw text: it invents dates from garbage.
 *
 * Bounds: years 100–2100 as written, four digits. Archives date old documents (`0999-12-31`); a year below 100
 * (`0022-01-08`, `0001-01-01`) is a two-digit year printed as four or the "no date" of Go, .NET and SQL servers,
 * and a year past 2100 is a typo. Numeric zone offsets up to ±14:00, seconds 0–60 (a leap second reads as :59),
 * 24:00 only as the end of a day.
 */

export interface DateContext {
  /** IANA zone ("Asia/Shanghai") or fixed offset ("+08:00", "-0500") used for dates that state no zone. */
  timeZone?: string;
  /**
   * The feed's language, e.g. "zh-cn", "zh-TW", "ja", "en-us": picks the zone for zone-less dates when timeZone is not
   * set, and disambiguates named zones.
   */
  language?: string;
}

const MAX_DATE_LENGTH = 200;
const MIN_YEAR = 100;
const MAX_YEAR = 2100;
const MAX_OFFSET_MINUTES = 14 * 60;
const MINUTE = 60_000;
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------------------
// Patterns. Input is normalized first: full-width ASCII folded, whitespace runs collapsed to one space.

const FULL_WIDTH = /[\uff01-\uff5e]/g;
const ODD_SPACE = /[\s\u00a0\u3000]+/g;
const NEEDS_NORMALIZING = /[^\x20-\x7e]| {2}/;
const STARTS_WITH_YEAR = /^\d{4}/;

// 2022-01-08T19:58:24.5+08:00, 2022-01-08 19:58, 2022/1/8 9:05:00, 2022.01.08; anything after is a zone.
const YEAR_FIRST = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?: ?(\S.*))?$/i;
// W3C-DTF reduced precision: 2022, 2022-01.
const YEAR_OR_MONTH = /^(\d{4})(?:-(\d{2}))?$/;
// ISO 8601 basic format with its time: 20031231T101455Z, 20031231T1014+0800. Eight bare digits stay
// unread: as often an id or a counter as a date.
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?(z|[+-]\d{2}(?::?\d{2})?)?$/i;
// ISO 8601 ordinal dates: 2003-365, 2003-032T10:14:55Z.
const ISO_ORDINAL = /^(\d{4})-(\d{3})(?:t(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(z|[+-]\d{2}(?::?\d{2})?)?$/i;
// 2022年1月8日 [星期六] [19:58[:24] | 19时58分[24秒]] [zone]; also Korean 년/월/일.
const CJK =
  /^(\d{4}) ?[年년] ?(\d{1,2}) ?[月월] ?(\d{1,2}) ?[日号號일](?: ?(?:(?:星期|礼拜|禮拜|周|週)[一二三四五六日天]|\([月火水木金土日]\)))?(?: ?(\d{1,2})[:时時点點](\d{1,2})分?(?::(\d{2})|(\d{1,2})秒)?)?(?: ?(\S.*))?$/;

// RFC 822 family, after commas became spaces. Weekday optional; the rest of the string is the zone.
const TIME_AND_ZONE = String.raw`(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(?: ?(\S.*))?$`;
// [Sat] 08 Jan 2022, 8-January-22 (RFC 850)
const DAY_MONTH_YEAR = new RegExp(String.raw`^(?:([a-z]+)\.? )?(\d{1,2})[ -]([a-z]+)\.?[ -](\d{4}|\d{2})` + TIME_AND_ZONE, 'i');
// [Sat] Jan 08 2022 (JavaScript's Date#toString), January 8th 2022
const MONTH_DAY_YEAR = new RegExp(String.raw`^(?:([a-z]+)\.? )?([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?[ -](\d{4})` + TIME_AND_ZONE, 'i');
// C's asctime (Sun Jan 4 16:29:06 2004) and Twitter's and Ruby's form (Sun Jul 15 01:16:00 +0000 2012).
const TIME_BEFORE_YEAR = /^(?:([a-z]+)\.? )?([a-z]+)\.? (\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: (\S+))? (\d{4})$/i;
// A 12-hour clock's marker before any zone: "02:02:33 PM", "2:02 pm EST".
const TWELVE_HOUR = /^([ap])\.?m\.?(?: (\S.*))?$/i;
// Chinese weekday and month names in an RFC 822 date: 星期六, 08 一月 2022 19:58:24 +0800.
const CHINESE_WEEKDAY = /^(?:星期|礼拜|禮拜|周|週)[一二三四五六日天] ?/;
const CHINESE_MONTH = /(十[一二]|[一二三四五六七八九十])月/;
const CHINESE_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

const NUMERIC_OFFSET = /^(gmt|utc|ut)? ?([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const TRAILING_COMMENT = / ?\(([^()]*)\)$/;
const IANA_NAME = /^[a-z]+(?:\/[a-z0-9_+-]+)+$/i;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

// Zone abbreviations seen in feeds, in minutes east of UTC. Ambiguous ones are in AMBIGUOUS_ZONES instead.
const NAMED_ZONES: ReadonlyMap<string, number> = new Map([
  ['z', 0],
  ['gmt', 0],
  ['ut', 0],
  ['utc', 0],
  ['wet', 0],
  // RFC 822's North American zones, plus Alaska, Hawaii, Newfoundland, Atlantic daylight.
  ['edt', -240],
  ['est', -300],
  ['cdt', -300],
  ['mdt', -360],
  ['mst', -420],
  ['pdt', -420],
  ['pst', -480],
  ['akdt', -480],
  ['akst', -540],
  ['hst', -600],
  ['adt', -180],
  ['nst', -210],
  ['ndt', -150],
  ['brt', -180],
  ['art', -180],
  // Europe and Africa.
  ['west', 60],
  ['cet', 60],
  ['met', 60],
  ['wat', 60],
  ['cest', 120],
  ['mest', 120],
  ['eet', 120],
  ['cat', 120],
  ['sast', 120],
  ['eest', 180],
  ['msk', 180],
  ['eat', 180],
  ['msd', 240],
  // Asia and Oceania.
  ['pkt', 300],
  ['npt', 345],
  ['ict', 420],
  ['wib', 420],
  ['hkt', 480],
  ['sgt', 480],
  ['myt', 480],
  ['pht', 480],
  ['awst', 480],
  ['jst', 540],
  ['kst', 540],
  ['acst', 570],
  ['aest', 600],
  ['acdt', 630],
  ['aedt', 660],
  ['nzst', 720],
  ['nzdt', 780],
  // Written out in Chinese feeds, usually as a trailing "(北京时间)".
  ['北京时间', 480],
  ['北京時間', 480],
]);

// North American zone letters without standard or daylight ("9:00 AM ET"): the region's clock on that day.
const REGION_CLOCKS: ReadonlyMap<string, string> = new Map([
  ['at', 'America/Halifax'],
  ['et', 'America/New_York'],
  ['ct', 'America/Chicago'],
  ['mt', 'America/Denver'],
  ['pt', 'America/Los_Angeles'],
]);

interface AmbiguousZone {
  /** The reading when nothing points elsewhere. */
  fallback: number;
  /** Other readings, each chosen by the feed's language. */
  alternatives: ReadonlyArray<{ offset: number; language: RegExp }>;
}

const AMBIGUOUS_ZONES: ReadonlyMap<string, AmbiguousZone> = new Map([
  // US Central (RFC 822) vs China Standard Time, which Chinese and Taiwanese servers print as "CST".
  ['cst', { fallback: -360, alternatives: [{ offset: 480, language: /^zh(?:-|$)/ }] }],
  // India vs Israel vs Irish Standard Time.
  [
    'ist',
    {
      fallback: 330,
      alternatives: [
        { offset: 120, language: /^(?:he|iw)(?:-|$)/ },
        { offset: 60, language: /^(?:ga|en-ie)(?:-|$)/ },
      ],
    },
  ],
  // British Summer Time vs Bangladesh Standard Time.
  ['bst', { fallback: 60, alternatives: [{ offset: 360, language: /^bn(?:-|$)/ }] }],
  // Atlantic Standard Time vs Arabia Standard Time.
  ['ast', { fallback: -240, alternatives: [{ offset: 180, language: /^ar(?:-|$)/ }] }],
]);

// ---------------------------------------------------------------------------------------------------------
// Entry point.

/** A feed date → the instant it names, or null when it cannot be read with confidence. Never a wrong date. */
export function parseFeedDate(text: string | null | undefined, context: DateContext = {}): Date | null {
  if (typeof text !== 'string') return null;
  const input = normalize(text);
  // No dialect is longer than this: a longer value is not a date, and hostile megabytes stay out of the patterns.
  if (input === '' || input.length > MAX_DATE_LENGTH) return null;
  const parsed = STARTS_WITH_YEAR.test(input) ? readYearFirst(input) : readRfc822(input);
  if (parsed === null) return null;
  const instant =
    parsed.zone === undefined ? instantInContext(parsed.wall, context) : instantInStatedZone(parsed.wall, parsed.zone, context);
  return instant === null ? null : new Date(instant);
}

/** A date as written: its wall-clock time (as milliseconds, read as if UTC) and its zone text, if any. */
interface WrittenDate {
  wall: number;
  zone: string | undefined;
}

function normalize(text: string): string {
  const trimmed = text.trim();
  // Most feed dates are plain ASCII with single spaces; skip the replacements for them.
  if (!NEEDS_NORMALIZING.test(trimmed)) return trimmed;
  return trimmed
    .replace(FULL_WIDTH, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(/\u2212/g, '-')
    .replace(ODD_SPACE, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------------------
// Dialects.

function readYearFirst(input: string): WrittenDate | null {
  let m = YEAR_FIRST.exec(input);
  if (m) {
    const [, year, separator, month, day, hour, minute, second, fraction, zone] = m;
    // "2022.1.2" is as likely a version number as a date: dotted dates must be written in full.
    if (separator === '.' && (month!.length !== 2 || day!.length !== 2)) return null;
    // Without a time, only a full ±hh:mm offset (or a comment) is read as a zone: "2013-01-27-01" is a
    // malformed date, not one at -01:00.
    if (hour === undefined && zone !== undefined && !/^[+-]\d{2}:\d{2}$/.test(zone) && !TRAILING_COMMENT.test(` ${zone}`)) return null;
    return written(wallTime(+year!, +month!, +day!, hour, minute, second, fraction), zone);
  }
  m = YEAR_OR_MONTH.exec(input);
  if (m) return written(wallTime(+m[1]!, m[2] === undefined ? 1 : +m[2], 1), undefined);
  m = ISO_BASIC.exec(input);
  if (m) {
    const [, year, month, day, hour, minute, second, fraction, zone] = m;
    return written(wallTime(+year!, +month!, +day!, hour, minute, second, fraction), zone);
  }
  m = ISO_ORDINAL.exec(input);
  if (m) {
    const [, year, ordinal, hour, minute, second, fraction, zone] = m;
    const yearDays = daysInMonth(+year!, 2) === 29 ? 366 : 365;
    if (+ordinal! < 1 || +ordinal! > yearDays) return null;
    const date = new Date(Date.UTC(+year!, 0, +ordinal!));
    return written(wallTime(+year!, date.getUTCMonth() + 1, date.getUTCDate(), hour, minute, second, fraction), zone);
  }
  m = CJK.exec(input);
  if (m) {
    const [, year, month, day, hour, minute, colonSecond, cjkSecond, zone] = m;
    return written(wallTime(+year!, +month!, +day!, hour, minute, colonSecond ?? cjkSecond), zone);
  }
  return null;
}

function readRfc822(input: string): WrittenDate | null {
  const text = input
    .replace(CHINESE_WEEKDAY, '')
    .replace(CHINESE_MONTH, (_, numeral: string) => MONTHS[CHINESE_NUMERALS.indexOf(numeral)]!.slice(0, 3))
    .replace(/,/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  let m = DAY_MONTH_YEAR.exec(text);
  if (m) {
    const [, weekday, day, month, year, hour, minute, second, fraction, zone] = m;
    return rfcDate(weekday, month!, day!, year!, hour, minute, second, fraction, zone);
  }
  m = MONTH_DAY_YEAR.exec(text);
  if (m) {
    const [, weekday, month, day, year, hour, minute, second, fraction, zone] = m;
    return rfcDate(weekday, month!, day!, year!, hour, minute, second, fraction, zone);
  }
  m = TIME_BEFORE_YEAR.exec(text);
  if (m) {
    const [, weekday, month, day, hour, minute, second, zone, year] = m;
    return rfcDate(weekday, month!, day!, year!, hour, minute, second, undefined, zone);
  }
  return null;
}

function rfcDate(
  weekday: string | undefined,
  monthName: string,
  day: string,
  year: string,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  fraction: string | undefined,
  zone: string | undefined,
): WrittenDate | null {
  // The weekday is only checked to be a weekday word: servers often print the wrong one, and the date wins.
  if (weekday !== undefined && nameIndex(weekday, WEEKDAYS) < 0) return null;
  const month = nameIndex(monthName, MONTHS) + 1;
  if (month === 0) return null;
  const twelveHour = zone === undefined ? null : TWELVE_HOUR.exec(zone);
  if (twelveHour) {
    // 12 AM is midnight, 12 PM noon; a 12-hour clock has no hour 0 or 13.
    if (hour === undefined || +hour < 1 || +hour > 12) return null;
    hour = String((+hour % 12) + (twelveHour[1]!.toLowerCase() === 'p' ? 12 : 0));
    zone = twelveHour[2];
  }
  return written(wallTime(fullYear(year), month, +day, hour, minute, second, fraction), zone);
}

/** RFC 822 two-digit years: 00–49 are 20xx, 50–99 are 19xx. */
function fullYear(year: string): number {
  const value = +year;
  if (year.length !== 2) return value;
  return value < 50 ? 2000 + value : 1900 + value;
}

/** Index of the name `word` abbreviates (at least three letters: "Jan", "Sept", "Thurs"), or -1. */
function nameIndex(word: string, names: readonly string[]): number {
  if (word.length < 3) return -1;
  const lower = word.toLowerCase();
  return names.findIndex((name) => name.startsWith(lower));
}

function written(wall: number | null, zone: string | undefined): WrittenDate | null {
  return wall === null ? null : { wall, zone };
}

/** Validated wall-clock fields → milliseconds read as if UTC, or null for an impossible or out-of-range time. */
function wallTime(
  year: number,
  month: number,
  day: number,
  hourText?: string,
  minuteText?: string,
  secondText?: string,
  fraction?: string,
): number | null {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const hour = hourText === undefined ? 0 : +hourText;
  const minute = minuteText === undefined ? 0 : +minuteText;
  let second = secondText === undefined ? 0 : +secondText;
  const millisecond = fraction === undefined ? 0 : +fraction.slice(0, 3).padEnd(3, '0');
  if (minute > 59 || second > 60) return null;
  // ISO 8601 allows 24:00 for the end of a day; Date.UTC rolls it into the next day.
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0 || millisecond !== 0))) return null;
  if (second === 60) second = 59;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// ---------------------------------------------------------------------------------------------------------
// Zones.

/** The instant for a wall time whose date wrote a zone, or null when that zone cannot be read. */
function instantInStatedZone(wall: number, zoneText: string, context: DateContext): number | null {
  // RFC 2822 comments: "+0800 (CST)", "GMT+0800 (China Standard Time)". A comment alone may be the zone.
  const comment = TRAILING_COMMENT.exec(zoneText);
  const zone = comment ? zoneText.slice(0, comment.index).trim() || comment[1]!.trim() : zoneText;
  if (zone === '') return instantInContext(wall, context);

  const offset = fixedOffset(zone) ?? NAMED_ZONES.get(zone.toLowerCase());
  if (offset !== undefined) return wall - offset * MINUTE;
  const ambiguous = AMBIGUOUS_ZONES.get(zone.toLowerCase());
  if (ambiguous) return wall - resolveAmbiguous(ambiguous, wall, context) * MINUTE;
  const regionClock = REGION_CLOCKS.get(zone.toLowerCase());
  if (regionClock) return instantInZone(wall, regionClock);
  if (IANA_NAME.test(zone)) return instantInZone(wall, zone);
  return null;
}

/** Minutes east of UTC for "+08:00", "+0800", "-05", "GMT+8", "UTC-05:30"; undefined for anything else. */
function fixedOffset(text: string): number | undefined {
  const m = NUMERIC_OFFSET.exec(text);
  if (!m) return undefined;
  const [, prefix, sign, hours, minutes = '00'] = m;
  // Without a GMT/UTC prefix, require two-digit hours so stray digits ("-1") are not read as zones.
  if (prefix === undefined && hours!.length !== 2) return undefined;
  const offset = +hours! * 60 + +minutes;
  if (+minutes > 59 || offset > MAX_OFFSET_MINUTES) return undefined;
  return sign === '-' ? -offset : offset;
}

/**
 * An ambiguous abbreviation: the reading that matches the configured zone at that time, else the one the
 * feed's language points to, else the usual one.
 */
function resolveAmbiguous(zone: AmbiguousZone, wall: number, context: DateContext): number {
  if (context.timeZone !== undefined) {
    const instant = instantInZone(wall, context.timeZone);
    if (instant !== null) {
      const contextOffset = (wall - instant) / MINUTE;
      if (contextOffset === zone.fallback) return zone.fallback;
      const match = zone.alternatives.find((alternative) => alternative.offset === contextOffset);
      if (match) return match.offset;
    }
  }
  const language = normalizeLanguage(context.language);
  if (language !== '') {
    const match = zone.alternatives.find((alternative) => alternative.language.test(language));
    if (match) return match.offset;
  }
  return zone.fallback;
}

/** The instant for a zone-less wall time: in context.timeZone, else the language's zone, else UTC. */
function instantInContext(wall: number, context: DateContext): number | null {
  const zone = context.timeZone ?? timeZoneForLanguage(context.language);
  return zone === undefined ? wall : instantInZone(wall, zone);
}

/** A zone as configured: a fixed offset, or a zone Intl knows (null in the cache when it knows none). */
type Zone = { offset: number } | { format: Intl.DateTimeFormat } | null;
const zoneCache = new Map<string, Zone>();

function lookUpZone(name: string): Zone {
  let zone = zoneCache.get(name);
  if (zone !== undefined) return zone;
  // "" is how the config spells UTC.
  const offset = fixedOffset(name) ?? (/^z?$/i.test(name.trim()) ? 0 : undefined);
  if (offset !== undefined) zone = { offset };
  else {
    try {
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      zone = { format };
    } catch {
      // An unknown zone name: dates that depend on it cannot be read with confidence.
      zone = null;
    }
  }
  zoneCache.set(name, zone);
  return zone;
}

/**
 * The instant a wall time names in a zone, or null when the zone is unknown. Around a transition the offset
 * is probed a day before and after: a repeated hour (autumn) reads as its first occurrence, a skipped hour
 * (spring) is moved forward by the gap, as clocks and Temporal's "compatible" mode do.
 */
function instantInZone(wall: number, name: string): number | null {
  const zone = lookUpZone(name);
  if (zone === null) return null;
  if ('offset' in zone) return wall - zone.offset * MINUTE;

  const before = offsetAt(zone.format, wall - DAY);
  const after = offsetAt(zone.format, wall + DAY);
  if (before === after) return wall - before;
  const candidates = [wall - before, wall - after].filter((instant) => wall - offsetAt(zone.format, instant) === instant);
  return candidates.length > 0 ? Math.min(...candidates) : wall - before;
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(format: Intl.DateTimeFormat, instant: number): number {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of format.formatToParts(instant)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = +part.value;
  }
  const local = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  const wholeSeconds = instant - (((instant % 1000) + 1000) % 1000);
  return local - wholeSeconds;
}

// ---------------------------------------------------------------------------------------------------------
// Language → zone.

// Regions whose clocks mostly agree. Countries spanning several zones get their most populous or media zone
// (US → New York, Russia → Moscow, Australia → Sydney, Brazil → São Paulo, Canada → Toronto).
const REGION_ZONES: ReadonlyMap<string, string> = new Map([
  ['cn', 'Asia/Shanghai'],
  ['tw', 'Asia/Taipei'],
  ['hk', 'Asia/Hong_Kong'],
  ['mo', 'Asia/Macau'],
  ['sg', 'Asia/Singapore'],
  ['my', 'Asia/Kuala_Lumpur'],
  ['jp', 'Asia/Tokyo'],
  ['kr', 'Asia/Seoul'],
  ['th', 'Asia/Bangkok'],
  ['vn', 'Asia/Ho_Chi_Minh'],
  ['id', 'Asia/Jakarta'],
  ['ph', 'Asia/Manila'],
  ['in', 'Asia/Kolkata'],
  ['pk', 'Asia/Karachi'],
  ['bd', 'Asia/Dhaka'],
  ['np', 'Asia/Kathmandu'],
  ['lk', 'Asia/Colombo'],
  ['ir', 'Asia/Tehran'],
  ['il', 'Asia/Jerusalem'],
  ['sa', 'Asia/Riyadh'],
  ['ae', 'Asia/Dubai'],
  ['tr', 'Europe/Istanbul'],
  ['ru', 'Europe/Moscow'],
  ['ua', 'Europe/Kyiv'],
  ['by', 'Europe/Minsk'],
  ['gb', 'Europe/London'],
  ['uk', 'Europe/London'],
  ['ie', 'Europe/Dublin'],
  ['pt', 'Europe/Lisbon'],
  ['es', 'Europe/Madrid'],
  ['fr', 'Europe/Paris'],
  ['be', 'Europe/Brussels'],
  ['nl', 'Europe/Amsterdam'],
  ['lu', 'Europe/Luxembourg'],
  ['de', 'Europe/Berlin'],
  ['at', 'Europe/Vienna'],
  ['ch', 'Europe/Zurich'],
  ['it', 'Europe/Rome'],
  ['dk', 'Europe/Copenhagen'],
  ['se', 'Europe/Stockholm'],
  ['no', 'Europe/Oslo'],
  ['fi', 'Europe/Helsinki'],
  ['is', 'Atlantic/Reykjavik'],
  ['pl', 'Europe/Warsaw'],
  ['cz', 'Europe/Prague'],
  ['sk', 'Europe/Bratislava'],
  ['hu', 'Europe/Budapest'],
  ['ro', 'Europe/Bucharest'],
  ['bg', 'Europe/Sofia'],
  ['gr', 'Europe/Athens'],
  ['ee', 'Europe/Tallinn'],
  ['lv', 'Europe/Riga'],
  ['lt', 'Europe/Vilnius'],
  ['hr', 'Europe/Zagreb'],
  ['si', 'Europe/Ljubljana'],
  ['rs', 'Europe/Belgrade'],
  ['eg', 'Africa/Cairo'],
  ['za', 'Africa/Johannesburg'],
  ['ng', 'Africa/Lagos'],
  ['ke', 'Africa/Nairobi'],
  ['us', 'America/New_York'],
  ['ca', 'America/Toronto'],
  ['mx', 'America/Mexico_City'],
  ['br', 'America/Sao_Paulo'],
  ['ar', 'America/Argentina/Buenos_Aires'],
  ['cl', 'America/Santiago'],
  ['co', 'America/Bogota'],
  ['pe', 'America/Lima'],
  ['ve', 'America/Caracas'],
  ['au', 'Australia/Sydney'],
  ['nz', 'Pacific/Auckland'],
]);

// Languages spoken mostly within one zone. English, Spanish, Portuguese, Arabic and the like span too many
// zones to guess from the language alone.
const LANGUAGE_ZONES: ReadonlyMap<string, string> = new Map([
  ['zh', 'Asia/Shanghai'],
  ['ja', 'Asia/Tokyo'],
  ['ko', 'Asia/Seoul'],
  ['ru', 'Europe/Moscow'],
  ['th', 'Asia/Bangkok'],
  ['vi', 'Asia/Ho_Chi_Minh'],
  ['id', 'Asia/Jakarta'],
  ['in', 'Asia/Jakarta'],
  ['ms', 'Asia/Kuala_Lumpur'],
  ['hi', 'Asia/Kolkata'],
  ['fa', 'Asia/Tehran'],
  ['he', 'Asia/Jerusalem'],
  ['iw', 'Asia/Jerusalem'],
  ['tr', 'Europe/Istanbul'],
  ['uk', 'Europe/Kyiv'],
  ['be', 'Europe/Minsk'],
  ['de', 'Europe/Berlin'],
  ['fr', 'Europe/Paris'],
  ['it', 'Europe/Rome'],
  ['nl', 'Europe/Amsterdam'],
  ['ca', 'Europe/Madrid'],
  ['eu', 'Europe/Madrid'],
  ['gl', 'Europe/Madrid'],
  ['da', 'Europe/Copenhagen'],
  ['sv', 'Europe/Stockholm'],
  ['nb', 'Europe/Oslo'],
  ['nn', 'Europe/Oslo'],
  ['no', 'Europe/Oslo'],
  ['fi', 'Europe/Helsinki'],
  ['is', 'Atlantic/Reykjavik'],
  ['pl', 'Europe/Warsaw'],
  ['cs', 'Europe/Prague'],
  ['sk', 'Europe/Bratislava'],
  ['hu', 'Europe/Budapest'],
  ['ro', 'Europe/Bucharest'],
  ['bg', 'Europe/Sofia'],
  ['el', 'Europe/Athens'],
  ['et', 'Europe/Tallinn'],
  ['lv', 'Europe/Riga'],
  ['lt', 'Europe/Vilnius'],
  ['hr', 'Europe/Zagreb'],
  ['sl', 'Europe/Ljubljana'],
  ['sr', 'Europe/Belgrade'],
]);

/**
 * Default IANA zone for a feed language's region: zh/zh-cn/zh-hans → Asia/Shanghai, zh-tw/zh-hant → Asia/Taipei,
 * zh-hk → Asia/Hong_Kong, zh-sg → Asia/Singapore, ja → Asia/Tokyo, ko → Asia/Seoul, ru → Europe/Moscow, etc. (a table
 * of common languages and regions; "en" with no region → undefined). Undefined when unknown.
 */
export function timeZoneForLanguage(language: string | undefined): string | undefined {
  const tag = normalizeLanguage(language);
  if (tag === '') return undefined;
  const [primary = '', ...subtags] = tag.split('-');
  const script = subtags.find((subtag) => /^[a-z]{4}$/.test(subtag));
  const region = subtags.find((subtag) => /^(?:[a-z]{2}|\d{3})$/.test(subtag));
  // A stated region decides alone: "fr-sn" is Dakar, not Paris, even though Senegal is missing here.
  if (region !== undefined) return REGION_ZONES.get(region);
  if (primary === 'zh' && script === 'hant') return 'Asia/Taipei';
  return LANGUAGE_ZONES.get(primary);
}

/** "zh_CN " → "zh-cn"; "" for no language. */
function normalizeLanguage(language: string | undefined): string {
  return (language ?? '').trim().toLowerCase().replace(/_/g, '-');
}
