/**
 * Post file names from the `site.filename` pattern. Only `[a-z0-9-]` comes from feed data, so no title or
 * id can name a path outside the posts directory, a hidden file or a reserved device name.
 */

export interface FileNameFacts {
  date: Date;
  id: string;
  title: string;
  source: string;
}

const MAX_SLUG = 60;
// Windows device names: reserved whatever follows the first dot (`nul.abc.md` is the null device too).
const RESERVED_NAME = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** The post's base name (no `.md`) for a pattern such as `:year-:month-:day-:id`. Dates are UTC. */
export function postBaseName(pattern: string, facts: FileNameFacts): string {
  const values: Record<string, string> = {
    year: String(facts.date.getUTCFullYear()),
    month: pad(facts.date.getUTCMonth() + 1),
    day: pad(facts.date.getUTCDate()),
    hour: pad(facts.date.getUTCHours()),
    minute: pad(facts.date.getUTCMinutes()),
    id: slug(facts.id),
    title: slug(facts.title),
    source: slug(facts.source),
  };
  const name = pattern.replace(/:(year|month|day|hour|minute|id|title|source)/g, (_, key: string) => values[key] ?? '');
  // Placeholders that came out empty (a title in Chinese has no ASCII slug) leave separators behind.
  const base = name.replace(/-{2,}/g, '-').replace(/^[-.]+|[-.]+$/g, '') || slug(facts.id) || 'post';
  // A pattern such as `:title.:id` with the title "NUL" would name the device, not a file, on Windows.
  return RESERVED_NAME.test(base.split('.')[0]!) ? `post-${base}` : base;
}

/** The first of `name`, `name-2`, `name-3`… that `isTaken` says is free. */
export function uniqueName(name: string, isTaken: (candidate: string) => boolean): string {
  let candidate = name;
  for (let n = 2; isTaken(candidate); n++) candidate = `${name}-${n}`;
  return candidate;
}

/** Lower-case ASCII letters, digits and single hyphens; accents folded, everything else dropped. */
export function slug(value: string): string {
  // Only the start can survive MAX_SLUG; a megabyte title is not normalized whole.
  return value
    .slice(0, MAX_SLUG * 8)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
