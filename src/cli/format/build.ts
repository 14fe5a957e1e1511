import type { Config } from '../../config/load.js';
import type { BuildResult } from '../../site/build.js';
import { configArgument, selfCommand } from '../self-command.js';

/** Where `serve` listens unless told otherwise: what `run` and `build` tell users to open. */
export const SERVE_DEFAULTS = { host: '127.0.0.1', port: 4000 };

/** The build's figures and how to look at the site: served, since opened from disk its styles and links break. */
export function describeBuild(result: BuildResult, config: Config): string {
  const command = `${selfCommand({ script: process.argv[1] ?? 'newsstand', env: process.env, cwd: process.cwd() })} serve${configArgument(config.file, process.cwd())}`;
  return (
    `Built the site with Hexo: ${result.files} files in ${(result.ms / 1000).toFixed(1)}s${howBuilt(result)}, in ${result.publicDir}.\n` +
    `Preview it: ${command} (then open ${previewUrl(result.root)})`
  );
}

/** What an incremental build changed, or why the site was built whole (newsstand's theme only: others always are). */
function howBuilt(result: BuildResult): string {
  const { incremental, fullBuildReason } = result;
  if (incremental?.full)
    return ` (every page rendered: no build cache yet, or it was for another configuration${helped(incremental.helper)})`;
  if (incremental) return ` (incremental: ${incremental.written} written, ${incremental.deleted} deleted)`;
  return fullBuildReason ? ` (whole, not incremental: ${fullBuildReason})` : '';
}

/** What a second Hexo process did for a full build of a large site (NEWSSTAND_BUILD_HELPER=0 builds without). */
function helped(helper: NonNullable<BuildResult['incremental']>['helper']): string {
  if (!helper) return '';
  const share = `${helper.posts.toLocaleString('en-US')} posts and ${helper.pages.toLocaleString('en-US')} pages`;
  return helper.failed ? `; a helper process stopped after ${share}, the build did the rest itself` : `; a helper process made ${share}`;
}

function previewUrl(root: string): string {
  return `http://${SERVE_DEFAULTS.host}:${SERVE_DEFAULTS.port}${root}`;
}
