/**
 * OPML 2.0's `category` attribute: comma-separated paths, each slash-delimited ("/Tech/Blogs,/Later").
 * newsstand writes a source's categories there as one path, so an export read back gets them exactly even
 * where folders alone cannot say them. A "/" or "," inside a category is percent-encoded (and "%" itself).
 */

export function categoryPath(categories: readonly string[]): string {
  return categories
    .map((category) => `/${category.replace(/[%/,]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}`)
    .join('');
}

/**
 * The categories of the first path in a `category` attribute; null when it holds none, or one newsstand
 * cannot use (plain tags without slashes, more than three levels, empty levels).
 */
export function categoriesFromPath(attribute: string): string[] | null {
  const path = attribute
    .split(',')
    .map((entry) => entry.trim())
    .find((entry) => entry.startsWith('/'));
  if (!path) return null;
  const levels = path
    .slice(1)
    .split('/')
    .map((level) =>
      level
        .replace(/%(25|2F|2C)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
        .replace(/\s+/g, ' ')
        .trim(),
    );
  if (levels.length === 0 || levels.length > 3 || levels.some((level) => level === '')) return null;
  return levels;
}
