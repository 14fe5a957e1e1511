/**
 * Defensive readers for parser output. Hostile or odd feeds give numbers where strings are expected,
 * single objects where lists are, and so on; every field goes through one of these.
 */

export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && 'value' in value) return text((value as { value: unknown }).value);
  return '';
}

export function list<T = unknown>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  return value === undefined || value === null ? [] : [value as T];
}

export function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function firstText(...values: unknown[]): string {
  for (const value of values) {
    const candidate = text(value).trim();
    if (candidate !== '') return candidate;
  }
  return '';
}

export function uniqueNonEmpty(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed !== '') seen.add(trimmed);
  }
  return [...seen];
}
