import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig, type Config } from '../config/load.js';
import { unsupportedSettingWarnings } from '../config/unsupported.js';
import { feedDocument } from '../content/feed-document.js';
import { UserError } from '../errors.js';
import { fetchFeed } from '../fetch/fetch-feed.js';
import { parseFeedBytes } from '../feed/parse.js';
import { buildSite, type BuildResult } from '../site/build.js';
import { initSite } from '../site/init.js';
import { formatStatusTable, sourceStatuses } from '../sync/status.js';
import { formatSummary, siteChanged, type SyncSummary } from '../sync/summary.js';
import { syncSite } from '../sync/sync.js';
import { userAgent } from '../sync/source-errors.js';
import { Output } from './output.js';

interface GlobalOptions {
  config: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export function createProgram(): Command {
  const program = new Command('newsstand')
    .description('Turn RSS, Atom, JSON Feed and RSSHub routes into a categorized, self-updating Hexo news site.')
    .version(version, '-V, --version')
    .option('-c, --config <file>', 'the configuration file', 'newsstand.yml')
    .option('--json', 'machine-readable output')
    .addOption(new Option('-q, --quiet', 'print only the summary and errors').conflicts('verbose'))
    .option('-v, --verbose', 'print more detail')
    .showHelpAfterError('(run "newsstand --help" for usage)')
    .exitOverride();

  program
    .command('sync')
    .description('fetch every source, write new and changed posts, prune by retention, print a summary')
    .option('--dry-run', 'show what would change; write nothing')
    .option('--strict', 'exit 1 when any source failed')
    .action(async (options: { dryRun?: boolean; strict?: boolean }, command: Command) => {
      const { output, config } = await setUp(command);
      const summary = await runSync(output, config, Boolean(options.dryRun));
      finishSync(output, summary, options.strict);
    });

  program
    .command('build')
    .description("render the site with Hexo into public/ (keeps Hexo's cache between builds)")
    .action(async (_options: unknown, command: Command) => {
      const { output, config } = await setUp(command);
      await runBuild(output, config);
    });

  program
    .command('run')
    .description('sync, then build when anything changed (the job to schedule)')
    .option('--strict', 'exit 1 when any source failed')
    .option('--force-build', 'build even when nothing changed')
    .action(async (options: { strict?: boolean; forceBuild?: boolean }, command: Command) => {
      const { output, config } = await setUp(command);
      const summary = await runSync(output, config, false);
      const build = siteChanged(summary) || options.forceBuild || !(await hasBuiltSite(config)) ? await buildSite({ root: config.site.root, verbose: output.verbose }) : null;
      if (output.json) {
        output.data({ ...summary, build });
      } else {
        output.result(formatSummary(summary));
        output.result(build ? describeBuild(build) : 'Nothing changed: the site was not rebuilt.');
      }
      if (options.strict && summary.sources.failed > 0) process.exitCode = 1;
    });

  program
    .command('parse')
    .description('print a feed (file, URL, or - for standard input) as normalized JSON')
    .argument('<feed>', 'a file path, an http(s) URL, or - for standard input')
    .option('--timezone <zone>', 'zone for dates that state none (IANA name or ±HH:MM)')
    .action(async (feed: string, options: { timezone?: string }, command: Command) => {
      const output = outputFor(command);
      const { bytes, contentType, url, key } = await readFeedArgument(feed);
      const parsed = parseFeedBytes(bytes, { url, contentType, timeZone: options.timezone });
      output.data(feedDocument(parsed, { sourceKey: key, images: { referrerPolicy: 'no-referrer', lazy: true } }));
    });

  program
    .command('init')
    .description('scaffold a new site: newsstand.yml, Hexo _config.yml, package.json, an example feed')
    .argument('[dir]', 'where to create the site', '.')
    .option('--force', 'write into a non-empty directory')
    .option('--no-install', 'skip npm install (the site still builds with the Hexo plugins newsstand bundles)')
    .action(async (dir: string, options: { force?: boolean; install: boolean }, command: Command) => {
      const output = outputFor(command);
      const root = await initSite({ dir, force: options.force, install: options.install, log: (line) => output.info(line) });
      output.result(`Ready. Next: cd ${JSON.stringify(root)} && newsstand run`);
    });

  program
    .command('status')
    .description('one row per source: last success, last error, failures in a row, posts, next due')
    .action(async (_options: unknown, command: Command) => {
      const { output, config } = await setUp(command);
      const rows = sourceStatuses(config);
      if (output.json) output.data(rows);
      else output.result(rows.length ? formatStatusTable(rows) : 'No sources configured.');
    });

  return program;
}

async function setUp(command: Command): Promise<{ output: Output; config: Config }> {
  const output = outputFor(command);
  const config = await loadConfig(globals(command).config);
  for (const warning of [...config.warnings, ...unsupportedSettingWarnings(config)]) output.warn(warning);
  return { output, config };
}

function globals(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

function outputFor(command: Command): Output {
  return new Output(globals(command));
}

async function runSync(output: Output, config: Config, dryRun: boolean): Promise<SyncSummary> {
  let written = 0;
  return syncSite({
    config,
    dryRun,
    reporter: {
      sourceDone(outcome, summary) {
        const done = summary.sources.ok + summary.sources.failed;
        written = summary.posts.created + summary.posts.updated;
        const line = outcome.ok
          ? `✓ ${outcome.name}: ${outcome.counts.created} new, ${outcome.counts.updated} updated, ${outcome.counts.pruned} pruned`
          : `✗ ${outcome.name}: ${outcome.error}`;
        if (!outcome.ok) output.warn(`${outcome.name}: ${outcome.error}`);
        output.progress(line, `[${done}/${summary.sources.total}] sources done, ${written} posts written — ${outcome.name}`);
      },
    },
  });
}

function finishSync(output: Output, summary: SyncSummary, strict: boolean | undefined): void {
  if (output.json) output.data(summary);
  else output.result(formatSummary(summary));
  if (strict && summary.sources.failed > 0) process.exitCode = 1;
}

async function runBuild(output: Output, config: Config): Promise<void> {
  const result = await buildSite({ root: config.site.root, verbose: output.verbose });
  if (output.json) output.data({ build: result });
  else output.result(describeBuild(result));
}

function describeBuild(result: BuildResult): string {
  return `Built the site with Hexo: ${result.files} files in ${(result.ms / 1000).toFixed(1)}s. Open ${result.indexHtml}`;
}

async function hasBuiltSite(config: Config): Promise<boolean> {
  return readFile(resolve(config.site.root, 'public', 'index.html')).then(
    () => true,
    () => false,
  );
}

async function readFeedArgument(feed: string): Promise<{ bytes: Uint8Array; contentType: string | null; url: string; key: string }> {
  const limits = { timeoutMs: 20_000, maxBytes: 20 * 1024 * 1024, userAgent: userAgent() };
  if (feed === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks), contentType: null, url: '', key: 'stdin:' };
  }
  const fetched = await fetchFeed(/^https?:\/\//i.test(feed) ? feed : resolve(feed), limits);
  return { ...fetched, key: /^https?:\/\//i.test(feed) ? `url:${feed}` : `file:${feed}` };
}

/** Runs the CLI; resolves to the exit code. Users see messages, never stack traces (unless --verbose). */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed help, a version or a usage error already.
      return error.exitCode === 0 ? 0 : 2;
    }
    const output = new Output({});
    if (error instanceof UserError) {
      output.error(error.message);
      return error.exitCode;
    }
    output.error(`internal error: ${error instanceof Error ? error.message : String(error)} — please report this with the output of --verbose`);
    if (process.argv.includes('-v') || process.argv.includes('--verbose')) console.error(error);
    return 1;
  }
}
