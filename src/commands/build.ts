/** `newsstand build`: the site rendered with Hexo, what Hexo and the theme warned about told as it is known. */
import type { Config } from '../config/load.js';
import type { BuildResult } from '../site/build.js';

export interface BuildCommandOptions {
  config: Config;
  verbose?: boolean;
  /** Told each warning of Hexo and the theme — also those of a build that then failed. */
  warn?: (warning: string) => void;
}

/** Builds the site; a failed build throws its BuildError (exit 1) once its warnings are told. */
export async function buildWithWarnings({ config, verbose = false, warn }: BuildCommandOptions): Promise<BuildResult> {
  // Loaded only by the commands that render: Hexo costs a sync about 130 ms and 28 MB for nothing.
  const { buildSite, buildOptionsFor, BuildError } = await import('../site/build.js');
  try {
    const result = await buildSite(buildOptionsFor(config, verbose));
    for (const warning of result.warnings) warn?.(warning);
    return result;
  } catch (error) {
    if (error instanceof BuildError) for (const warning of error.warnings) warn?.(warning);
    throw error;
  }
}
