import { describe, expect, it } from 'vitest';
import { itemId, linkKey } from '../item-identity.js';
import type { FeedItem } from '../item.js';
import type { ItemRecord, LivePost } from '../store/items.js';
import { planPublish, type PlanInput, type PublishedItems } from './plan.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const SOURCE = 'file:feeds/a.xml';

function item(n: number, overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    guid: `guid-${n}`,
    title: `Item ${n}`,
    link: `https://news.example/${n}`,
    published: new Date(NOW - n * DAY + 123),
    updated: null,
    author: '',
    categories: [],
    summary: '',
    contentHtml: `<p>${n}</p>`,
    image: '',
    enclosures: [],
    baseUrl: '',
    ...overrides,
  };
}

/** The state's items in memory: no disk. */
function published(records: ItemRecord[] = []): PublishedItems {
  const byId = new Map(records.map((record) => [record.id, record]));
  return {
    get: (id) => byId.get(id),
    byLink: (key) => records.find((record) => key !== '' && record.linkKey === key),
    livePosts: (sourceKey) =>
      records
        .filter((record): record is ItemRecord & { file: string } => record.sourceKey === sourceKey && record.file !== null)
        .map(({ id, file, date }): LivePost => ({ id, file, date }))
        .sort((a, b) => b.date - a.date),
  };
}

function plan(items: FeedItem[], overrides: Partial<PlanInput> = {}) {
  return planPublish({
    sourceKey: SOURCE,
    sourceName: 'A',
    items,
    settings: 'settings-1',
    retention: { maxAgeMs: 90 * DAY, maxItems: 500 },
    retentionChanged: false,
    filenamePattern: ':year-:month-:day-:id',
    now: NOW,
    published: published(),
    nameTaken: () => false,
    ...overrides,
  });
}

/** The records a first run makes for these items, as commit would save them. */
function recordsOf(items: FeedItem[], settings = 'settings-1'): ItemRecord[] {
  const first = plan(items, { settings });
  return first.write.map((post) => ({
    id: post.id,
    sourceKey: SOURCE,
    linkKey: linkKey(post.item.link),
    file: post.name,
    date: post.date,
    firstSeen: NOW,
    itemHash: post.itemHash,
    postHash: 'h',
  }));
}

describe('planPublish', () => {
  it('writes new items under names from the pattern, dated to the whole second', () => {
    const result = plan([item(1), item(2)]);
    expect(result.write.map((post) => [post.name, post.date, post.record])).toEqual([
      [`2026-12-05-${itemId(SOURCE, item(1))}`, NOW - DAY, undefined],
      [`2026-12-04-${itemId(SOURCE, item(2))}`, NOW - 2 * DAY, undefined],
    ]);
    expect(result.counts).toEqual({ unchanged: 0, duplicates: 0, tooOld: 0, beyondMaxItems: 0, pruned: 0 });
    expect(result.tombstones).toEqual([]);
    expect(result.prune).toEqual([]);
    expect(result.forgetBefore).toBe(NOW - 90 * DAY);
  });

  it('dates an undated item at the run, and leaves an unchanged one alone', () => {
    const undated = item(3, { published: null });
    expect(plan([undated]).write[0]!.date).toBe(NOW);
    const records = recordsOf([item(1)]);
    const again = plan([item(1)], { published: published(records) });
    expect(again.write).toEqual([]);
    expect(again.counts.unchanged).toBe(1);
  });

  it('rewrites a changed item in place: its name and date stay', () => {
    const records = recordsOf([item(1)]);
    const changed = item(1, { title: 'Item 1, corrected', published: new Date(NOW) });
    const result = plan([changed], { published: published(records) });
    expect(result.write).toHaveLength(1);
    expect(result.write[0]).toMatchObject({ name: records[0]!.file, date: records[0]!.date, record: records[0] });
    // The same item under other settings (a new category, say) is a change too.
    expect(plan([item(1)], { published: published(records), settings: 'settings-2' }).write).toHaveLength(1);
  });

  it('skips an article another source published, and the second of two items with one link', () => {
    const other: ItemRecord = {
      id: 'other',
      sourceKey: 'url:https://b.example/feed',
      linkKey: linkKey(item(1).link),
      file: 'b-1',
      date: NOW,
      firstSeen: NOW,
      itemHash: 'x',
      postHash: 'y',
    };
    const sameLink = item(2, { link: item(3).link });
    const result = plan([item(1), item(3), sameLink], { published: published([other]) });
    expect(result.write.map((post) => post.item.guid)).toEqual(['guid-3']);
    expect(result.counts.duplicates).toBe(2);
  });

  it('takes the first of several items that share a guid, and ignores the others', () => {
    const result = plan([item(1), item(2, { guid: 'guid-1' }), item(3, { guid: 'guid-1' })]);
    expect(result.write.map((post) => post.item.title)).toEqual(['Item 1']);
    expect(result.counts).toMatchObject({ unchanged: 0, duplicates: 0 });
  });

  it('never writes what retention would prune at once: too old is counted, beyond maxItems is remembered', () => {
    const result = plan([item(1), item(2), item(3), item(100)], { retention: { maxAgeMs: 30 * DAY, maxItems: 2 } });
    expect(result.write.map((post) => post.item.guid)).toEqual(['guid-1', 'guid-2']);
    expect(result.counts).toMatchObject({ tooOld: 1, beyondMaxItems: 1 });
    expect(result.tombstones).toEqual([
      {
        id: itemId(SOURCE, item(3)),
        sourceKey: SOURCE,
        linkKey: linkKey(item(3).link),
        file: null,
        date: NOW - 3 * DAY,
        firstSeen: NOW,
        itemHash: expect.any(String),
        postHash: '',
      },
    ]);
  });

  it('prunes the oldest posts when newer items fill maxItems', () => {
    const records = recordsOf([item(5), item(6)]);
    const result = plan([item(1)], { published: published(records), retention: { maxAgeMs: 90 * DAY, maxItems: 2 } });
    expect(result.write.map((post) => post.item.guid)).toEqual(['guid-1']);
    expect(result.prune).toEqual([{ id: records[1]!.id, file: records[1]!.file, date: records[1]!.date }]);
    expect(result.counts.pruned).toBe(1);
  });

  it('keeps an item retention once kept out out, until the rule changes', () => {
    const tombstone: ItemRecord = {
      id: itemId(SOURCE, item(2)),
      sourceKey: SOURCE,
      linkKey: '',
      file: null,
      date: NOW - 2 * DAY,
      firstSeen: NOW,
      itemHash: 'x',
      postHash: '',
    };
    const kept = plan([item(2)], { published: published([tombstone]) });
    expect(kept.write).toEqual([]);
    expect(kept.counts.beyondMaxItems).toBe(1);
    const weighed = plan([item(2)], { published: published([tombstone]), retentionChanged: true });
    expect(weighed.write.map((post) => post.item.guid)).toEqual(['guid-2']);
  });

  it('counts posts recognised from disk after the state was lost towards retention', () => {
    // Rebuilt from the posts: no source yet, no item hash.
    const rebuilt = recordsOf([item(1), item(2)]).map((record) => ({ ...record, sourceKey: '', itemHash: '' }));
    const result = plan([item(1), item(2), item(3)], { published: published(rebuilt), retention: { maxAgeMs: 90 * DAY, maxItems: 2 } });
    expect(result.write.map((post) => [post.item.guid, post.name])).toEqual([
      ['guid-1', rebuilt[0]!.file],
      ['guid-2', rebuilt[1]!.file],
    ]);
    expect(result.counts.beyondMaxItems).toBe(1);
  });

  it('gives a name taken by another post, or by another new post of the run, a number', () => {
    const sameDay = (n: number) => item(n, { published: new Date(NOW - DAY) });
    const taken = new Set(['2026-12-05-a']);
    const result = plan([sameDay(1), sameDay(2)], { filenamePattern: ':year-:month-:day-a', nameTaken: (name) => taken.has(name) });
    expect(result.write.map((post) => post.name)).toEqual(['2026-12-05-a-2', '2026-12-05-a-3']);
  });
});
