/**
 * The part of Hexo's query API (warehouse's Query) that layouts, helpers and generators use on lists of posts
 * and categories — `posts.sort('-date').limit(50).toArray()`, `.each`, `.length` — over a plain array, so that
 * the fast build can hand them its own records instead of Hexo's database.
 */
export class Query<T extends object> {
  /** Sorts asked for by name, made once: the post, index, archive and feed generators all sort the posts by date. */
  private readonly sorted = new Map<string, Query<T>>();

  constructor(readonly data: readonly T[]) {}

  get length(): number {
    return this.data.length;
  }

  toArray(): T[] {
    return [...this.data];
  }

  /** `'-date'`, `'title'`, `{ date: -1 }`, or a compare function; stable, as warehouse's is. */
  sort(order: string | Record<string, 1 | -1> | ((a: T, b: T) => number), direction?: 1 | -1 | 'asc' | 'desc'): Query<T> {
    if (typeof order === 'function') return new Query([...this.data].sort(order));
    const name = JSON.stringify([order, direction ?? null]);
    let sorted = this.sorted.get(name);
    if (!sorted) {
      sorted = this.sortBy(order, direction);
      this.sorted.set(name, sorted);
    }
    return sorted;
  }

  private sortBy(order: string | Record<string, 1 | -1>, direction?: 1 | -1 | 'asc' | 'desc'): Query<T> {
    const keys: Array<[string, number]> =
      typeof order === 'string'
        ? order
            .split(/\s+/)
            .filter(Boolean)
            .map((key) => (key.startsWith('-') ? [key.slice(1), -1] : [key, direction === -1 || direction === 'desc' ? -1 : 1]))
        : Object.entries(order);
    // Each item's values are read once, not at every comparison: a moment's valueOf is slow, and the theme sorts
    // all posts by date for several generators.
    const keyed = this.data.map((item) => ({ item, values: keys.map(([key]) => comparable((item as Record<string, unknown>)[key])) }));
    keyed.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const left = a.values[i]!;
        const right = b.values[i]!;
        if (left < right) return -keys[i]![1];
        if (left > right) return keys[i]![1];
      }
      return 0;
    });
    return new Query(keyed.map(({ item }) => item));
  }

  limit(count: number): Query<T> {
    return new Query(this.data.slice(0, count));
  }

  skip(count: number): Query<T> {
    return new Query(this.data.slice(count));
  }

  slice(start?: number, end?: number): Query<T> {
    return new Query(this.data.slice(start, end));
  }

  reverse(): Query<T> {
    return new Query([...this.data].reverse());
  }

  first(): T | undefined {
    return this.data[0];
  }

  last(): T | undefined {
    return this.data[this.data.length - 1];
  }

  eq(index: number): T | undefined {
    return this.data.at(index);
  }

  filter(test: (item: T, index: number) => boolean): Query<T> {
    return new Query(this.data.filter(test));
  }

  find(conditions: Partial<Record<keyof T, unknown>>): Query<T> {
    return this.filter((item) => Object.entries(conditions).every(([key, value]) => (item as Record<string, unknown>)[key] === value));
  }

  findOne(conditions: Partial<Record<keyof T, unknown>>): T | undefined {
    return this.find(conditions).first();
  }

  map<R>(fn: (item: T, index: number) => R): R[] {
    return this.data.map(fn);
  }

  forEach(fn: (item: T, index: number) => void): this {
    this.data.forEach(fn);
    return this;
  }

  each(fn: (item: T, index: number) => void): this {
    return this.forEach(fn);
  }

  some(test: (item: T, index: number) => boolean): boolean {
    return this.data.some(test);
  }

  every(test: (item: T, index: number) => boolean): boolean {
    return this.data.every(test);
  }

  reduce<R>(fn: (result: R, item: T, index: number) => R, initial: R): R {
    return this.data.reduce(fn, initial);
  }

  count(): number {
    return this.data.length;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.data[Symbol.iterator]();
  }
}

/** What warehouse compares: dates and moments by their instant, everything else as it is. */
function comparable(value: unknown): number | string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && typeof (value as { valueOf(): unknown }).valueOf === 'function') {
    const primitive = (value as { valueOf(): unknown }).valueOf();
    if (typeof primitive === 'number' || typeof primitive === 'string') return primitive;
  }
  return typeof value === 'number' ? value : String(value);
}
