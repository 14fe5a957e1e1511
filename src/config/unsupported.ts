import type { Config } from './load.js';

/**
 * Settings the configuration accepts (they are part of the contract) but this version does not act on yet.
 * Saying so beats silently ignoring them.
 */
export function unsupportedSettingWarnings(config: Config): string[] {
  const warnings: string[] = [];
  for (const source of config.sources) {
    const where = `${config.file}:${source.line}: ${source.key}`;
    if (source.fullText) warnings.push(`${where}: fullText is not supported yet; the feed's own content is used`);
    if (source.convert) warnings.push(`${where}: convert (${source.convert}) is not supported yet; text is published as is`);
    if (source.images.mirror) warnings.push(`${where}: images.mirror is not supported yet; images stay on their original hosts`);
  }
  return warnings;
}
