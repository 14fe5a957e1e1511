/** newsstand as a library: the same stages the CLI runs. */
export { loadConfig, type Config, type SourceConfig } from './config/load.js';
export { parseFeedBytes, parseFeedText, type ParseOptions } from './feed/parse.js';
export { parseFeedDate } from './feed/dates.js';
export { cleanHtml, type CleanOptions, type CleanedContent } from './content/clean.js';
export { feedDocument, type FeedDocument } from './content/feed-document.js';
export { renderPost } from './post/post-text.js';
export { renderFrontMatter, type PostFrontMatter } from './post/front-matter.js';
export { syncSite, type SyncOptions } from './sync/sync.js';
export type { SyncSummary } from './sync/summary.js';
export { formatSummary } from './cli/format/summary.js';
export { buildSite } from './site/build.js';
export { initSite } from './site/init.js';
export * from './errors.js';
export type * from './item.js';
