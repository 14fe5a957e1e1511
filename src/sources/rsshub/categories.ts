import TABLE from './categories.json' with { type: 'json' };

interface CategoryName {
  id: string;
  zh: string;
  en: string;
}

// RSSHub's 25 route categories with their Chinese and English display names.
const CATEGORIES: CategoryName[] = TABLE;
const BY_ID = new Map(CATEGORIES.map((category) => [category.id, category]));

/** The display name of an RSSHub category id, in the configured language; the id itself when unknown. */
export function categoryDisplayName(id: string, language: 'zh' | 'en'): string {
  return BY_ID.get(id)?.[language] ?? id;
}
