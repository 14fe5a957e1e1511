import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeedDate, timeZoneForLanguage, type DateContext } from './dates.js';

type Case = readonly [input: string, context: DateContext, expected: string];

const none: DateContext = {};
const zhCN: DateContext = { language: 'zh-cn' };

/** Each case: the input, its context, and the instant expected (as Date#toISOString). */
function table(cases: readonly Case[]) {
  it.each(cases)('%s %j → %s', (input, context, expected) => {
    expect(parseFeedDate(input, context)?.toISOString()).toBe(expected);
  });
}

describe('parseFeedDate: RFC 822 / RFC 2822', () => {
  table([
    ['Sat, 08 Jan 2022 19:58:24 +0800', none, '2022-01-08T11:58:24.000Z'],
    ['08 Jan 2022 19:58:24 +0800', none, '2022-01-08T11:58:24.000Z'],
    ['Sat, 8 Jan 2022 19:58:24 +0800', none, '2022-01-08T11:58:24.000Z'],
    ['Sat, 08 Jan 22 19:58:24 +0800', none, '2022-01-08T11:58:24.000Z'],
    ['Fri, 08 Jan 99 19:58:24 GMT', none, '1999-01-08T19:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58 +0800', none, '2022-01-08T11:58:00.000Z'],
    ['sat, 08 JAN 2022 19:58:24 +0800', none, '2022-01-08T11:58:24.000Z'],
    ['Saturday, 08 January 2022 19:58:24 +0800', none, '2022-01-08T11:58:24.000Z'],
    ['Sat., 08 Sept. 2022 19:58:24 +0800', none, '2022-09-08T11:58:24.000Z'],
    ['Thurs, 08 Dec 2022 19:58:24 +0800', none, '2022-12-08T11:58:24.000Z'],
    // The weekday is wrong (8 Jan 2022 was a Saturday); the date still wins.
    ['Mon, 08 Jan 2022 19:58:24 +0800', none, '2022-01-08T11:58:24.000Z'],
    ['  Sat,08 Jan 2022   19:58:24  +0800 ', none, '2022-01-08T11:58:24.000Z'],
    ['Sat,, 08 Jan, 2022, 19:58:24, +0800', none, '2022-01-08T11:58:24.000Z'],
    ['Sat, 08 Jan 2022\t19:58:24\n+0800', none, '2022-01-08T11:58:24.000Z'],
    ['Sat, 08 Jan 2022 9:58:24 +0800', none, '2022-01-08T01:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24.5 GMT', none, '2022-01-08T19:58:24.500Z'],
    ['Sat, 08 Jan 2022 19:58:24 +08:00', none, '2022-01-08T11:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24+0800', none, '2022-01-08T11:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 -05', none, '2022-01-09T00:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 -0500', none, '2022-01-09T00:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 +0530', none, '2022-01-08T14:28:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 -0000', zhCN, '2022-01-08T19:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 GMT', zhCN, '2022-01-08T19:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 UT', none, '2022-01-08T19:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 UTC', none, '2022-01-08T19:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 Z', none, '2022-01-08T19:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 GMT+8', none, '2022-01-08T11:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 UTC+08:00', none, '2022-01-08T11:58:24.000Z'],
    ['Sat, 08 Jan 2022 19:58:24 +0800 (CST)', none, '2022-01-08T11:58:24.000Z'],
    // RFC 850 and JavaScript's Date#toString, both seen in the wild.
    ['Saturday, 08-Jan-22 19:58:24 GMT', none, '2022-01-08T19:58:24.000Z'],
    ['Sat Jan 08 2022 19:58:24 GMT+0800 (China Standard Time)', none, '2022-01-08T11:58:24.000Z'],
    ['Sat Jan 08 2022 19:58:24 GMT+0800 (中国标准时间)', none, '2022-01-08T11:58:24.000Z'],
    ['January 8, 2022 19:58 +0800', none, '2022-01-08T11:58:00.000Z'],
    ['Jan 8th, 2022', none, '2022-01-08T00:00:00.000Z'],
    ['Feb 28 2022', none, '2022-02-28T00:00:00.000Z'],
    ['08 Jan 2022', zhCN, '2022-01-07T16:00:00.000Z'],
  ]);
});

describe('parseFeedDate: named zones', () => {
  const at = (zone: string) => `Sat, 08 Jan 2022 19:58:24 ${zone}`;
  table([
    [at('EST'), none, '2022-01-09T00:58:24.000Z'],
    [at('EDT'), none, '2022-01-08T23:58:24.000Z'],
    [at('CDT'), none, '2022-01-09T00:58:24.000Z'],
    [at('MST'), none, '2022-01-09T02:58:24.000Z'],
    [at('MDT'), none, '2022-01-09T01:58:24.000Z'],
    [at('PST'), none, '2022-01-09T03:58:24.000Z'],
    [at('pdt'), none, '2022-01-09T02:58:24.000Z'],
    [at('BST'), none, '2022-01-08T18:58:24.000Z'],
    [at('CET'), none, '2022-01-08T18:58:24.000Z'],
    [at('CEST'), none, '2022-01-08T17:58:24.000Z'],
    [at('EET'), none, '2022-01-08T17:58:24.000Z'],
    [at('EEST'), none, '2022-01-08T16:58:24.000Z'],
    [at('MSK'), none, '2022-01-08T16:58:24.000Z'],
    [at('IST'), none, '2022-01-08T14:28:24.000Z'],
    [at('JST'), none, '2022-01-08T10:58:24.000Z'],
    [at('KST'), none, '2022-01-08T10:58:24.000Z'],
    [at('HKT'), none, '2022-01-08T11:58:24.000Z'],
    [at('SGT'), none, '2022-01-08T11:58:24.000Z'],
    [at('AEST'), none, '2022-01-08T09:58:24.000Z'],
    [at('AEDT'), none, '2022-01-08T08:58:24.000Z'],
    [at('NZST'), none, '2022-01-08T07:58:24.000Z'],
    // CST: China Standard Time in Chinese feeds, US Central otherwise.
    [at('CST'), { language: 'zh-cn' }, '2022-01-08T11:58:24.000Z'],
    [at('CST'), { language: 'zh-TW' }, '2022-01-08T11:58:24.000Z'],
    [at('CST'), { language: 'zh' }, '2022-01-08T11:58:24.000Z'],
    [at('CST'), { language: 'en-us' }, '2022-01-09T01:58:24.000Z'],
    [at('CST'), none, '2022-01-09T01:58:24.000Z'],
    [at('CST'), { language: 'zu' }, '2022-01-09T01:58:24.000Z'],
    // A configured zone that agrees with one reading wins over the language.
    [at('CST'), { language: 'en', timeZone: 'Asia/Shanghai' }, '2022-01-08T11:58:24.000Z'],
    [at('CST'), { language: 'zh-cn', timeZone: 'America/Chicago' }, '2022-01-09T01:58:24.000Z'],
    [at('IST'), { language: 'he' }, '2022-01-08T17:58:24.000Z'],
    [at('IST'), { language: 'en-IE' }, '2022-01-08T18:58:24.000Z'],
    ['2022-01-08 19:58:24 CST', zhCN, '2022-01-08T11:58:24.000Z'],
    ['2022-01-08 19:58:24 (北京时间)', none, '2022-01-08T11:58:24.000Z'],
  ]);
});

describe('parseFeedDate: ISO 8601 / W3C-DTF', () => {
  table([
    ['2022-01-08T19:58:24+08:00', none, '2022-01-08T11:58:24.000Z'],
    ['2022-01-08T19:58:24.123+08:00', none, '2022-01-08T11:58:24.123Z'],
    ['2022-01-08T19:58:24.1Z', none, '2022-01-08T19:58:24.100Z'],
    ['2022-01-08T19:58:24.123456789Z', none, '2022-01-08T19:58:24.123Z'],
    ['2022-01-08T19:58:24,5Z', none, '2022-01-08T19:58:24.500Z'],
    ['2022-01-08T19:58:24Z', zhCN, '2022-01-08T19:58:24.000Z'],
    ['2022-01-08t19:58:24z', none, '2022-01-08T19:58:24.000Z'],
    ['2022-01-08T19:58:24+0800', none, '2022-01-08T11:58:24.000Z'],
    ['2022-01-08T19:58:24+08', none, '2022-01-08T11:58:24.000Z'],
    ['2022-01-08T19:58:24-05:00', none, '2022-01-09T00:58:24.000Z'],
    ['2022-01-08T19:58Z', none, '2022-01-08T19:58:00.000Z'],
    ['2022-01-08 19:58:24+08:00', none, '2022-01-08T11:58:24.000Z'],
    ['2022-01-08 19:58:24 +0800', none, '2022-01-08T11:58:24.000Z'],
    ['2022-01-08 19:58:24 UTC', zhCN, '2022-01-08T19:58:24.000Z'],
    ['2022-01-08T19:58:24 Asia/Tokyo', none, '2022-01-08T10:58:24.000Z'],
    ['2022-01-08T19:58:24', { timeZone: 'Asia/Shanghai' }, '2022-01-08T11:58:24.000Z'],
    ['2022-01-08T19:58:24', none, '2022-01-08T19:58:24.000Z'],
    ['2022-01-08', none, '2022-01-08T00:00:00.000Z'],
    ['2022-01-08', zhCN, '2022-01-07T16:00:00.000Z'],
    ['2022-01-08-05:00', none, '2022-01-08T05:00:00.000Z'],
    ['2022-01', none, '2022-01-01T00:00:00.000Z'],
    ['2022', none, '2022-01-01T00:00:00.000Z'],
    ['2022', { timeZone: '+08:00' }, '2021-12-31T16:00:00.000Z'],
    ['2022-01-08T24:00:00Z', none, '2022-01-09T00:00:00.000Z'],
    ['2016-12-31T23:59:60Z', none, '2016-12-31T23:59:59.000Z'],
    ['2024-02-29T12:00:00Z', none, '2024-02-29T12:00:00.000Z'],
    ['1970-01-01T00:00:00Z', none, '1970-01-01T00:00:00.000Z'],
    ['2100-12-31T23:59:59Z', none, '2100-12-31T23:59:59.000Z'],
    // Years before 1000, as archives write them.
    ['1969-12-31T23:59:59Z', none, '1969-12-31T23:59:59.000Z'],
    ['0999-12-31T10:00:00Z', none, '0999-12-31T10:00:00.000Z'],
    ['0100-03-15', none, '0100-03-15T00:00:00.000Z'],
    // Two-digit years are RFC 2822's: 50–99 are 19xx.
    ['Sat, 08 Jan 50 12:00:00 GMT', none, '1950-01-08T12:00:00.000Z'],
    ['Sun, 01 Jan 0999 00:00:00 GMT', none, '0999-01-01T00:00:00.000Z'],
    ['0999-365', none, '0999-12-31T00:00:00.000Z'],
  ]);
});

describe('parseFeedDate: YYYY-MM-DD hh:mm[:ss] and YYYY/MM/DD', () => {
  table([
    ['2022-01-08 19:58:24', { timeZone: 'Asia/Shanghai' }, '2022-01-08T11:58:24.000Z'],
    ['2022-01-08 19:58:24', { timeZone: '+08:00' }, '2022-01-08T11:58:24.000Z'],
    ['2022-01-08 19:58:24', { timeZone: '-0500' }, '2022-01-09T00:58:24.000Z'],
    ['2022-01-08 19:58:24', none, '2022-01-08T19:58:24.000Z'],
    ['2022-01-08 19:58:24', { language: 'ja' }, '2022-01-08T10:58:24.000Z'],
    ['2022-01-08 19:58:24', { language: 'en' }, '2022-01-08T19:58:24.000Z'],
    // An explicit zone beats the language's.
    ['2022-01-08 19:58:24', { language: 'ja', timeZone: 'UTC' }, '2022-01-08T19:58:24.000Z'],
    ['2022-01-08 19:58:24', { language: 'ja', timeZone: '' }, '2022-01-08T19:58:24.000Z'],
    ['2022-01-08 19:58:24', { language: 'ja', timeZone: 'Z' }, '2022-01-08T19:58:24.000Z'],
    ['2022-01-08 19:58:24', { timeZone: 'UTC+8' }, '2022-01-08T11:58:24.000Z'],
    ['2022-01-08 19:58', zhCN, '2022-01-08T11:58:00.000Z'],
    ['2022/01/08 19:58:24', zhCN, '2022-01-08T11:58:24.000Z'],
    ['2022/1/8 9:05', zhCN, '2022-01-08T01:05:00.000Z'],
    ['2022-1-8 19:58', zhCN, '2022-01-08T11:58:00.000Z'],
    ['2022/01/08', zhCN, '2022-01-07T16:00:00.000Z'],
    ['2022.01.08 19:58', zhCN, '2022-01-08T11:58:00.000Z'],
  ]);
});

describe('parseFeedDate: Chinese dates', () => {
  table([
    ['2022年01月08日 19:58', zhCN, '2022-01-08T11:58:00.000Z'],
    ['2022年1月8日 19:58:24', zhCN, '2022-01-08T11:58:24.000Z'],
    ['2022年1月8日', zhCN, '2022-01-07T16:00:00.000Z'],
    ['2022年1月8日19:58', zhCN, '2022-01-08T11:58:00.000Z'],
    ['2022 年 1 月 8 日 19:58', zhCN, '2022-01-08T11:58:00.000Z'],
    ['２０２２年０１月０８日　１９：５８：２４', zhCN, '2022-01-08T11:58:24.000Z'],
    ['2022年1月8日 星期六 19:58', zhCN, '2022-01-08T11:58:00.000Z'],
    ['2022年1月8日 19时58分24秒', zhCN, '2022-01-08T11:58:24.000Z'],
    ['2022年1月8日 19時58分', { language: 'zh-TW' }, '2022-01-08T11:58:00.000Z'],
    ['2022年1月8日(土) 19:58', { language: 'ja' }, '2022-01-08T10:58:00.000Z'],
    ['2022년 1월 8일 19:58', { language: 'ko' }, '2022-01-08T10:58:00.000Z'],
    ['2022年1月8日 19:58 +0800', none, '2022-01-08T11:58:00.000Z'],
    ['2022年1月8日 19:58', { timeZone: 'UTC' }, '2022-01-08T19:58:00.000Z'],
    ['2022年1月8日 19:58', none, '2022-01-08T19:58:00.000Z'],
  ]);
});

describe('parseFeedDate: zones with daylight saving time', () => {
  const newYork: DateContext = { timeZone: 'America/New_York' };
  table([
    ['2022-07-01 12:00:00', newYork, '2022-07-01T16:00:00.000Z'],
    ['2022-01-01 12:00:00', newYork, '2022-01-01T17:00:00.000Z'],
    ['Fri, 01 Jul 2022 12:00:00', newYork, '2022-07-01T16:00:00.000Z'],
    // The evening before and after the spring-forward night keep their own offsets.
    ['2022-03-12 23:00:00', newYork, '2022-03-13T04:00:00.000Z'],
    ['2022-03-13 03:00:00', newYork, '2022-03-13T07:00:00.000Z'],
    // 02:30 never happened on 13 March 2022: read as 03:30 EDT, as a clock moved forward would show.
    ['2022-03-13 02:30:00', newYork, '2022-03-13T07:30:00.000Z'],
    // 01:30 happened twice on 6 November 2022: the first (EDT) is taken.
    ['2022-11-06 01:30:00', newYork, '2022-11-06T05:30:00.000Z'],
    ['2022-11-06 02:30:00', newYork, '2022-11-06T07:30:00.000Z'],
    ['2022-06-01 12:00', { timeZone: 'Europe/London' }, '2022-06-01T11:00:00.000Z'],
    ['2022-01-01 12:00', { timeZone: 'Australia/Sydney' }, '2022-01-01T01:00:00.000Z'],
    ['2022-07-01 12:00', { timeZone: 'Australia/Sydney' }, '2022-07-01T02:00:00.000Z'],
    ['2022-07-01 12:00', { timeZone: 'Asia/Kathmandu' }, '2022-07-01T06:15:00.000Z'],
    ['2022-07-01 12:00', { language: 'en-US' }, '2022-07-01T16:00:00.000Z'],
  ]);
});

describe('parseFeedDate: forms feeds in the wild write', () => {
  table([
    // asctime, as C prints it (two spaces before a one-digit day), and with a zone.
    ['Sun Jan  4 16:29:06 2004', none, '2004-01-04T16:29:06.000Z'],
    ['Sun Jan 4 16:29:06 PST 2004', none, '2004-01-05T00:29:06.000Z'],
    // Twitter and Ruby.
    ['Sun Jul 15 01:16:00 +0000 2012', none, '2012-07-15T01:16:00.000Z'],
    ['Sun Jul 15 09:16:00 +0800 2012', none, '2012-07-15T01:16:00.000Z'],
    // North American zone letters: the region's clock that day (daylight in July, standard in January).
    ['Mon, 15 Jul 2024 09:00:00 ET', none, '2024-07-15T13:00:00.000Z'],
    ['Mon, 15 Jan 2024 09:00:00 ET', none, '2024-01-15T14:00:00.000Z'],
    ['Mon, 15 Jul 2024 09:00:00 PT', none, '2024-07-15T16:00:00.000Z'],
    ['Mon, 15 Jul 2024 09:00:00 CT', none, '2024-07-15T14:00:00.000Z'],
    ['Mon, 15 Jul 2024 09:00:00 MT', none, '2024-07-15T15:00:00.000Z'],
    ['Mon, 15 Jul 2024 09:00:00 AT', none, '2024-07-15T12:00:00.000Z'],
    ['Mon, 15 Jul 2024 09:00:00 EDT', none, '2024-07-15T13:00:00.000Z'],
    // 12-hour clocks.
    ['Sat, Dec 16 2023 02:02:33 PM', none, '2023-12-16T14:02:33.000Z'],
    ['Jan 8, 2022 7:58 PM', none, '2022-01-08T19:58:00.000Z'],
    ['Sat, 16 Dec 2023 12:05 AM', none, '2023-12-16T00:05:00.000Z'],
    ['Sat, 16 Dec 2023 12:05 PM +0800', none, '2023-12-16T04:05:00.000Z'],
    ['Sat, 16 Dec 2023 2:02 p.m. EST', none, '2023-12-16T19:02:00.000Z'],
    // Chinese weekday and month names.
    ['星期六, 08 一月 2022 19:58:24 +0800', none, '2022-01-08T11:58:24.000Z'],
    ['周五, 24 十二月 2021 08:00:00 +0800', none, '2021-12-24T00:00:00.000Z'],
    ['08 十一月 2022 19:58:24 GMT', none, '2022-11-08T19:58:24.000Z'],
    // ISO 8601 basic and ordinal forms.
    ['20031231T101455Z', none, '2003-12-31T10:14:55.000Z'],
    ['20031231T1014+0800', none, '2003-12-31T02:14:00.000Z'],
    ['2003-365', none, '2003-12-31T00:00:00.000Z'],
    ['2004-366', none, '2004-12-31T00:00:00.000Z'],
    ['2003-032T10:14:55Z', none, '2003-02-01T10:14:55.000Z'],
  ]);
});

describe('parseFeedDate: unreadable or impossible → null', () => {
  const unreadable: ReadonlyArray<readonly [string | null | undefined, DateContext?]> = [
    [null],
    [undefined],
    [''],
    ['   '],
    ['yesterday'],
    ['1'],
    ['Version 2.0'],
    ['2022-13-01'],
    ['2022-00-10'],
    ['Feb 30 2022'],
    ['2022-02-29'],
    ['2100-02-29'],
    ['2022-01-32'],
    ['2022-04-31'],
    ['2022-01-08 25:00:00'],
    ['2022-01-08T24:30:00Z'],
    ['2022-01-08 19:60:00'],
    ['2022-01-08 19:58:61'],
    ['2101-01-01'],
    // The zero date of Go, .NET and SQL servers stands for "no date", in any zone or form; a year below 100 is a
    // two-digit year printed as four.
    ['0001-01-01T00:00:00Z'],
    ['0001-01-01T00:00:00+08:00'],
    ['Mon, 01 Jan 0001 00:00:00 +0000'],
    ['0022-01-08T10:00:00Z'],
    ['0099-12-31'],
    ['1641643104'],
    ['1641643104000'],
    ['20220108'],
    ['2022.1.2'],
    ['12/31/2022'],
    ['08/01/2022 10:00'],
    ['Sat, 08 Foo 2022 19:58:24 GMT'],
    ['Xyz, 08 Jan 2022 19:58:24 GMT'],
    ['Sat, 08 Ja 2022 19:58:24 GMT'],
    ['Sat, 08 Jan 2022 19:58:24 XYZ'],
    ['Sat, 08 Jan 2022 19:58:24 A'],
    ['Sat, 08 Jan 2022 19:58:24 +2500'],
    ['Sat, 08 Jan 2022 19:58:24 +0860'],
    ['Sat, 08 Jan 2022 19:58:24 +8'],
    ['Sat, 08 Jan 2022 1958'],
    ['2022年1月8日 下午7:58'],
    ['2022年13月8日'],
    ['2022-01-08T19:58:24+08:00 and more'],
    ['2022-01-08junk'],
    ['2022-01-08T19:58:24 Not/AZone'],
    ['2022-01-08 19:58:24', { timeZone: 'Not/AZone' }],
    ['Sat, 08 Jan 2022 19:58:24 (China Standard Time)'],
  ];
  it.each([
    '2013-01-27-01',
    '2003-366',
    '2003-000',
    '20031301',
    'Sat, 16 Dec 2023 13:05 PM',
    'Sat, 16 Dec 2023 00:05 AM',
    'Sun Jan 4 16:29:06 XYZ 2004',
    '十三月 2022',
  ])('a malformed wild form: %s → null', (input) => {
    expect(parseFeedDate(input)).toBeNull();
  });

  it.each(unreadable.map(([input, context]) => ({ input, context })))('$input $context → null', ({ input, context }) => {
    expect(parseFeedDate(input, context)).toBeNull();
  });

  it('still reads dates that state their zone when the configured zone is unknown', () => {
    const context = { timeZone: 'Not/AZone' };
    expect(parseFeedDate('2022-01-08T19:58:24Z', context)?.toISOString()).toBe('2022-01-08T19:58:24.000Z');
  });
});

// Instants whose wall-clock year stays inside 1971–2099 in every zone.
const instants = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 11, 31) }).map((ms) => ms - (ms % 1000));
const offsets = fc.integer({ min: -14 * 60, max: 14 * 60 });
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function offsetText(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The instant as seen at a fixed offset, written in RFC 822 and ISO 8601. */
function writeAtOffset(instant: number, minutes: number): { rfc822: string; iso: string } {
  const local = new Date(instant + minutes * 60_000);
  const [y, mo, d] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  return {
    rfc822: `${WEEKDAYS[local.getUTCDay()]}, ${pad(d)} ${MONTHS[mo]} ${y} ${time} ${offsetText(minutes, false)}`,
    iso: `${y}-${pad(mo + 1)}-${pad(d)}T${time}${offsetText(minutes, true)}`,
  };
}

/** The wall-clock time of an instant in an IANA zone, as "YYYY-MM-DD hh:mm:ss". */
function wallClock(instant: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

describe('parseFeedDate: properties', () => {
  it('reads back any instant written in RFC 822 or ISO 8601 at any offset', () => {
    fc.assert(
      fc.property(instants, offsets, (instant, minutes) => {
        const { rfc822, iso } = writeAtOffset(instant, minutes);
        expect(parseFeedDate(rfc822)?.getTime()).toBe(instant);
        expect(parseFeedDate(iso, { language: 'ja' })?.getTime()).toBe(instant);
      }),
    );
  });

  it('reads a zone-less wall time in an IANA zone back to that wall time, the earlier one when repeated', () => {
    const zones = fc.constantFrom(
      'America/New_York',
      'Europe/London',
      'Australia/Sydney',
      'Asia/Shanghai',
      'America/Santiago',
      'Pacific/Chatham',
    );
    fc.assert(
      fc.property(instants, zones, (instant, timeZone) => {
        const wall = wallClock(instant, timeZone);
        const parsed = parseFeedDate(wall, { timeZone });
        expect(parsed).not.toBeNull();
        expect(wallClock(parsed!.getTime(), timeZone)).toBe(wall);
        expect(parsed!.getTime()).toBeLessThanOrEqual(instant);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, and returns null or an instant within the accepted years, for any text', () => {
    const lowest = Date.UTC(100, 0, 1) - 14 * 3_600_000;
    const highest = Date.UTC(2101, 0, 2);
    // Date fragments shuffled together reach deep into every pattern, unlike random characters.
    const fragments = [
      '2022',
      '1970',
      '2100',
      '1969',
      '-',
      '01',
      '8',
      '13',
      '29',
      '31',
      '00',
      'T',
      '19',
      ':',
      '58',
      '24',
      '60',
      '.123',
      'Z',
      '+0800',
      '-05',
      'GMT',
      'CST',
      'EST',
      ' ',
      ',',
      '/',
      'Sat',
      'Jan',
      'Feb',
      'Sept',
      '年',
      '月',
      '日',
      '(',
      ')',
    ];
    const datelike = fc.array(fc.constantFrom(...fragments), { maxLength: 14 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), datelike), (text) => {
        const parsed = parseFeedDate(text, { timeZone: 'Asia/Shanghai' });
        if (parsed !== null) {
          expect(parsed.getTime()).toBeGreaterThanOrEqual(lowest);
          expect(parsed.getTime()).toBeLessThanOrEqual(highest);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('returns null for bare numbers that are not four-digit years', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 10_000 })), (n) => {
        expect(parseFeedDate(String(n))).toBeNull();
      }),
    );
  });
});

describe('timeZoneForLanguage', () => {
  it.each([
    ['zh', 'Asia/Shanghai'],
    ['zh-cn', 'Asia/Shanghai'],
    ['zh-CN', 'Asia/Shanghai'],
    ['zh_CN', 'Asia/Shanghai'],
    ['zh-hans', 'Asia/Shanghai'],
    ['zh-Hans-CN', 'Asia/Shanghai'],
    ['zh-tw', 'Asia/Taipei'],
    ['zh-hant', 'Asia/Taipei'],
    ['zh-Hant-TW', 'Asia/Taipei'],
    ['zh-hk', 'Asia/Hong_Kong'],
    ['zh-Hant-HK', 'Asia/Hong_Kong'],
    ['zh-sg', 'Asia/Singapore'],
    ['ja', 'Asia/Tokyo'],
    ['ja-JP', 'Asia/Tokyo'],
    ['ko', 'Asia/Seoul'],
    ['ru', 'Europe/Moscow'],
    ['de', 'Europe/Berlin'],
    ['en-us', 'America/New_York'],
    ['en-GB', 'Europe/London'],
    ['pt-BR', 'America/Sao_Paulo'],
    [' fr-FR ', 'Europe/Paris'],
  ])('%j → %s', (language, zone) => {
    expect(timeZoneForLanguage(language)).toBe(zone);
  });

  it.each([undefined, '', 'en', 'es', 'pt', 'ar', 'xx', 'en-001', 'es-419', 'fr-SN', 'x-default'])('%j → undefined', (language) => {
    expect(timeZoneForLanguage(language)).toBeUndefined();
  });

  it('names only zones this runtime knows', () => {
    const languages = [
      'zh',
      'zh-mo',
      'zh-my',
      'ja',
      'ko',
      'ru',
      'th',
      'vi',
      'id',
      'in',
      'ms',
      'hi',
      'fa',
      'he',
      'iw',
      'tr',
      'uk',
      'be',
      'de',
      'fr',
      'it',
      'nl',
      'ca',
      'eu',
      'gl',
      'da',
      'sv',
      'nb',
      'nn',
      'no',
      'fi',
      'is',
      'pl',
      'cs',
      'sk',
      'hu',
      'ro',
      'bg',
      'el',
      'et',
      'lv',
      'lt',
      'hr',
      'sl',
      'sr',
      'en-ph',
      'en-in',
      'ur-pk',
      'bn-bd',
      'ne-np',
      'si-lk',
      'ar-sa',
      'ar-ae',
      'ar-eg',
      'en-ie',
      'pt-pt',
      'es-es',
      'fr-be',
      'de-lu',
      'de-at',
      'de-ch',
      'en-za',
      'en-ng',
      'sw-ke',
      'en-ca',
      'es-mx',
      'es-ar',
      'es-cl',
      'es-co',
      'es-pe',
      'es-ve',
      'en-au',
      'en-nz',
      'en-uk',
      'uk-ua',
      'ru-by',
      'et-ee',
    ];
    for (const language of languages) {
      const zone = timeZoneForLanguage(language);
      expect(zone, language).toBeDefined();
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone }), language).not.toThrow();
    }
  });
});

describe('parseFeedDate: hostile length', () => {
  it('reads no value longer than any date dialect (a megabyte "date" stays out of the patterns)', () => {
    expect(parseFeedDate(`Sat, 08 Jan 2022 19:58:24 +0800${' (北京时间)'.repeat(40)}`)).toBeNull();
    expect(parseFeedDate(`2022-01-08T12:00:00Z${'x'.repeat(1_000_000)}`)).toBeNull();
    expect(parseFeedDate(`  Sat, 08 Jan 2022 19:58:24 +0800${' '.repeat(10_000)}`)?.toISOString()).toBe('2022-01-08T11:58:24.000Z');
  });
});
