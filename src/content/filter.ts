import type { RE2JS } from 're2js';
import type { Filter } from '../config/load.js';
import { compileFilterPattern } from '../config/units.js';
import type { FeedItem } from '../item.js';

type CompiledFilter = Array<[keyof Filter, RE2JS]>;

/**
 * `include`/`exclude` from a source's configuration: an item is kept when it matches any `include`
 * pattern (or there is none) and matches no `exclude` pattern. Patterns are case-insensitive and run on
 * RE2's linear-time engine, so no pattern and no feed can hang a run (the configuration loader has
 * already rejected patterns RE2 cannot compile).
 */
export function itemFilter(include: Filter | null, exclude: Filter | null): (item: FeedItem) => boolean {
  const wanted = compile(include);
  const unwanted = compile(exclude);
  return (item) => (wanted.length === 0 || matchesAny(wanted, item)) && !matchesAny(unwanted, item);
}

function compile(filter: Filter | null): CompiledFilter {
  if (!filter) return [];
  return (Object.entries(filter) as Array<[keyof Filter, string | undefined]>)
    .filter((entry): entry is [keyof Filter, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .map(([field, pattern]) => [field, compileFilterPattern(pattern)]);
}

function matchesAny(filter: CompiledFilter, item: FeedItem): boolean {
  return filter.some(([field, pattern]) => fieldValues(item, field).some((value) => pattern.matcher(value).find()));
}

function fieldValues(item: FeedItem, field: keyof Filter): string[] {
  switch (field) {
    case 'title':
      return [item.title];
    case 'content':
      return [item.contentHtml, item.summary];
    case 'author':
      return [item.author];
    case 'category':
      return item.categories;
    default:
      return [];
  }
}
