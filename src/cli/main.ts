/**
 * The command line: each action normalises its options, calls its command (src/commands/), prints the result
 * (cli/format/) and resolves to the exit code the command implies; main() maps errors to exit codes.
 */
import { Command, CommanderError, Option } from 'commander';
import type { FolderStyle } from '../commands/export.js';
import { syncAndBuild } from '../commands/run.js';
import { sourceStatuses } from '../commands/status.js';
import { syncSources } from '../commands/sync.js';
import { loadConfig, type Config } from '../config/load.js';
import { UserError } from '../errors.js';
import { NEWSSTAND_VERSION } from '../own-package.js';
import type { SourceSelection } from '../sync/sync.js';
import { THEME_NAMES } from '../theme-profiles.js';
import { describeBuild, SERVE_DEFAULTS } from './format/build.js';
import { formatAdd, formatExported, formatImport, formatRemove, formatToggle, type Report } from './format/source-commands.js';
import { formatSummary } from './format/summary.js';
import { formatSourcesTable, formatStatusTable } from './format/tables.js';
import { Output } from './output.js';
import { progressReporter, watchReporter } from './progress.js';

interface GlobalOptions {
  config: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

interface SyncFlags {
  dryRun?: boolean;
  all?: boolean;
  source?: string[];
  strict?: boolean;
}

// The commands that render load Hexo themselves when they need it, and those a scheduled run does not use are
// imported by their action: start-up is most of a cron run in which no feed changed.

/** A program whose actions report the exit code their command implies to `exit`. */
function createProgram(exit: (code: number) => void): Command {
  /** An action resolving to its exit code (none: 0). */
  const action =
    <A extends unknown[]>(run: (...args: A) => Promise<number | void>) =>
    async (...args: A) =>
      exit((await run(...args)) ?? 0);

  const program = new Command('newsstand')
    .description('Turn RSS, Atom, JSON Feed and RSSHub routes into a categorized, self-updating Hexo news site.')
    .version(NEWSSTAND_VERSION, '-V, --version')
    .option('-c, --config <file>', 'the configuration file', 'newsstand.yml')
    .option('--json', 'machine-readable output')
    .addOption(new Option('-q, --quiet', 'print only the summary and errors').conflicts('verbose'))
    .option('-v, --verbose', 'print more detail')
    .showHelpAfterError('(run "newsstand --help" for usage)')
    .exitOverride();

  program
    .command('sync')
    .description('fetch the sources that are due, write new and changed posts, prune by retention, print a summary')
    .option('--dry-run', 'show what would change; write nothing')
    .option('--all', 'fetch every source, due or not (also sources that are gone)')
    .option('--source <name...>', 'fetch only these sources (name, URL, route or file)')
    .option('--strict', 'exit 1 when any source failed')
    .action(
      action(async (options: SyncFlags, command: Command) => {
        const { output, config } = await setUp(command);
        const { summary, exitCode } = await syncSources({
          config,
          dryRun: options.dryRun,
          select: selection(options),
          strict: options.strict,
          reporter: progressReporter(output),
          onStop: stopping(output),
        });
        if (output.json) output.data(summary);
        else output.result(formatSummary(summary));
        return exitCode;
      }),
    );

  program
    .command('build')
    .description(
      "render the site with Hexo and its theme into public/, from any directory (incremental with newsstand's theme; NEWSSTAND_FULL_BUILD=1 renders everything; a full build of 2,000 posts or more uses a second core, NEWSSTAND_BUILD_HELPER=0 one process); a failed build exits 1 and leaves public/ as it was",
    )
    .action(
      action(async (_options: unknown, command: Command) => {
        const { output, config } = await setUp(command);
        const { buildWithWarnings } = await import('../commands/build.js');
        const build = await buildWithWarnings({ config, verbose: output.verbose, warn: hexoWarning(output) });
        if (output.json) output.data({ build });
        else output.result(describeBuild(build, config));
      }),
    );

  program
    .command('run')
    .description('sync, then build when anything changed or the last build failed (the job to schedule)')
    .option('--all', 'fetch every source, due or not')
    .option('--source <name...>', 'fetch only these sources (name, URL, route or file)')
    .option('--strict', 'exit 1 when any source failed')
    .option('--force-build', 'build even when nothing changed')
    .action(
      action(async (options: SyncFlags & { forceBuild?: boolean }, command: Command) => {
        const { output, config } = await setUp(command);
        const { summary, build, exitCode } = await syncAndBuild({
          config,
          select: selection(options),
          strict: options.strict,
          forceBuild: options.forceBuild,
          verbose: output.verbose,
          reporter: progressReporter(output),
          onStop: stopping(output),
          // The sync's summary comes first: it stands even when the build then fails.
          synced: (synced) => output.result(formatSummary(synced)),
          hexoWarning: hexoWarning(output),
        });
        if (output.json) output.data({ ...summary, build });
        else output.result(build ? describeBuild(build, config) : 'Nothing changed: the site was not rebuilt.');
        return exitCode;
      }),
    );

  program
    .command('watch')
    .description('stay up: sync each source when it is due, rebuild the site after changes; stop with Ctrl-C')
    .option('--debounce <seconds>', 'wait this long after the last change before rebuilding', '5')
    .action(
      action(async (options: { debounce: string }, command: Command) => {
        const { output, config } = await setUp(command);
        const debounceMs = Math.max(0, Number(options.debounce) * 1000);
        if (!Number.isFinite(debounceMs)) throw new UserError(`--debounce ${options.debounce}: expected a number of seconds`, 2);
        const { watchSite, localTime } = await import('../commands/watch.js');
        const log = (line: string) => output.result(`${localTime(new Date())} ${line}`);
        await watchSite({ config, log, debounceMs, reporter: watchReporter(log) });
      }),
    );

  program
    .command('serve')
    .description(
      'preview the site on localhost: build it, serve public/, rebuild when source/, themes/ or _config.yml change; ' +
        'stop with Ctrl-C. Fetches no feeds (that is what run and watch do)',
    )
    .option('-p, --port <port>', 'the port to listen on; 0 picks a free one', String(SERVE_DEFAULTS.port))
    .option('--host <address>', 'the address to listen on', SERVE_DEFAULTS.host)
    .option('--no-build', 'serve public/ as it is, without building first (an unbuilt site is built anyway)')
    .action(
      action(async (options: { port: string; host: string; build: boolean }, command: Command) => {
        const { output, config } = await setUp(command);
        const port = Number(options.port);
        if (!/^\d+$/.test(options.port) || port > 65535)
          throw new UserError(`--port ${options.port}: expected a port number from 0 to 65535`, 2);
        const { servePreview } = await import('../commands/serve.js');
        await servePreview({
          config,
          port,
          host: options.host,
          buildFirst: options.build,
          verbose: output.verbose,
          log: (line) => output.result(line),
        });
      }),
    );

  program
    .command('parse')
    .description('print a feed (file, URL, or - for standard input) as normalized JSON')
    .argument('<feed>', 'a file path, an http(s) URL, or - for standard input')
    .option('--timezone <zone>', 'zone for dates that state none (IANA name or ±HH:MM)')
    .action(
      action(async (feed: string, options: { timezone?: string }, command: Command) => {
        const output = outputFor(command);
        const { parseFeedArgument } = await import('../commands/parse.js');
        output.data(await parseFeedArgument({ feed, timeZone: options.timezone }));
      }),
    );

  program
    .command('init')
    .description(
      'scaffold a new site: newsstand.yml, Hexo _config.yml, package.json, the theme, an example feed, .gitignore and a GitHub Actions workflow; a newsstand not installed from the npm registry is packed into the site as vendor/newsstand-<version>.tgz',
    )
    .argument('[dir]', 'where to create the site', '.')
    .option('--force', 'write into a non-empty directory')
    .option(
      '--theme <name>',
      `the site's theme: newsstand (its own, copied into the site) or one from npm: ${THEME_NAMES.filter((name) => name !== 'newsstand').join(', ')}`,
      'newsstand',
    )
    .option('--no-install', "skip npm install (with newsstand's theme the site still builds with the Hexo plugins newsstand bundles)")
    .action(
      action(async (dir: string, options: { force?: boolean; theme: string; install: boolean }, command: Command) => {
        const output = outputFor(command);
        const { createSite } = await import('../commands/init.js');
        const { root } = await createSite({
          dir,
          force: options.force,
          theme: options.theme,
          install: options.install,
          log: (line) => output.info(line),
        });
        output.result(`Ready. Next: cd ${JSON.stringify(root)} && newsstand run`);
      }),
    );

  program
    .command('add')
    .description(
      'add a source: rsshub:/route (categories from RSSHub), a feed URL, a page URL (its feed is found for you) or a local feed file',
    )
    .argument('<source>', 'rsshub:/route, an http(s) URL, or a local feed file (PATH or file:PATH)')
    .option('--name <name>', "the source's name (author of items that name none; default: the feed's title)")
    .option('--categories <list>', 'comma-separated: category, site, channel (default: from RSSHub for routes)')
    .option('--dry-run', 'show what would be added; change nothing')
    .action(
      action(async (target: string, options: { name?: string; categories?: string; dryRun?: boolean }, command: Command) => {
        const { output, config } = await setUp(command);
        const categories = options.categories
          ?.split(/[,，]/)
          .map((part) => part.trim())
          .filter(Boolean);
        const { addSource } = await import('../commands/add.js');
        const result = await addSource({ config, target, name: options.name, categories, dryRun: options.dryRun });
        if (output.json) output.data({ added: result.added, suggestions: result.suggestions });
        else printReport(output, formatAdd(result, target, Boolean(options.dryRun)));
        return result.exitCode;
      }),
    );

  program
    .command('status')
    .description('one row per source: state, last success, failures in a row, posts, next due, last error')
    .action(
      action(async (_options: unknown, command: Command) => {
        const { output, config } = await setUp(command);
        const rows = sourceStatuses(config);
        if (output.json) output.data(rows);
        else output.result(rows.length ? formatStatusTable(rows) : 'No sources configured.');
      }),
    );

  program
    .command('sources')
    .description('list the sources: name, kind, state (new, ok, failing, gone, disabled), posts, categories, where')
    .action(
      action(async (_options: unknown, command: Command) => {
        const { output, config } = await setUp(command);
        const { listSources } = await import('../commands/sources.js');
        const rows = listSources(config);
        if (output.json) output.data(rows);
        else output.result(rows.length ? formatSourcesTable(rows) : 'No sources configured.');
      }),
    );

  program
    .command('import')
    .description('add the feeds of an OPML file (exported by another reader) as sources, folders as categories')
    .argument('<file>', 'the OPML file, or - for standard input')
    .option('--dry-run', 'show what would be added; change nothing')
    .action(
      action(async (file: string, options: { dryRun?: boolean }, command: Command) => {
        const { output, config } = await setUp(command);
        const { importOpml } = await import('../commands/import.js');
        const result = await importOpml({ config, file, dryRun: options.dryRun });
        if (output.json) output.data(result);
        else printReport(output, formatImport(result, config.file, output.verbose));
      }),
    );

  program
    .command('export')
    .description(
      'write the sources as OPML 2.0 for another reader (to standard output, or -o FILE): categories kept whole in the category attribute, the top category as the folder',
    )
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .addOption(
      new Option(
        '--folders <style>',
        'flat: one folder level, the top category (Feedly, Inoreader, Miniflux, most readers); nested: a folder per category level',
      )
        .choices(['flat', 'nested'] satisfies FolderStyle[])
        .default('flat'),
    )
    .action(
      action(async (options: { output?: string; folders: FolderStyle }, command: Command) => {
        const { output, config } = await setUp(command);
        const { exportSources } = await import('../commands/export.js');
        const result = await exportSources({ config, folders: options.folders, file: options.output, warn: (note) => output.warn(note) });
        if (!options.output) {
          if (output.json) output.data(result.feeds);
          else process.stdout.write(result.opml);
        } else if (output.json) output.data({ file: result.file, feeds: result.feeds.length });
        else output.result(formatExported(result.feeds.length, options.output));
      }),
    );

  program
    .command('remove')
    .description('remove a source from newsstand.yml; its posts stay unless --purge')
    .argument('<source>', "the source's name, URL, route or file")
    .option('--purge', "also delete the source's posts and forget it in the state")
    .option('--dry-run', 'show what would be removed; change nothing')
    .action(
      action(async (name: string, options: { purge?: boolean; dryRun?: boolean }, command: Command) => {
        const { output, config } = await setUp(command);
        const { removeSource } = await import('../commands/remove.js');
        const result = await removeSource({ config, name, purge: options.purge, dryRun: options.dryRun });
        if (output.json) output.data(result);
        else for (const line of formatRemove(result, Boolean(options.purge))) output.result(line);
      }),
    );

  for (const disabled of [true, false]) {
    program
      .command(disabled ? 'disable' : 'enable')
      .description(disabled ? 'stop fetching a source (it stays in newsstand.yml, its posts stay)' : 'fetch a disabled source again')
      .argument('<source>', "the source's name, URL, route or file")
      .action(
        action(async (name: string, _options: unknown, command: Command) => {
          const { output, config } = await setUp(command);
          const { setSourceDisabled } = await import('../commands/disable.js');
          const result = await setSourceDisabled({ config, name, disabled });
          if (output.json) output.data(result);
          else output.result(formatToggle(result));
        }),
      );
  }

  return program;
}

async function setUp(command: Command): Promise<{ output: Output; config: Config }> {
  const output = outputFor(command);
  const config = await loadConfig(globals(command).config);
  for (const warning of config.warnings) output.warn(warning);
  return { output, config };
}

function globals(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

function outputFor(command: Command): Output {
  return new Output(globals(command));
}

/** Which sources a sync fetches: those named (--source), else all (--all), else the due ones. */
function selection(options: SyncFlags): SourceSelection {
  return options.source?.length ? { names: options.source } : options.all ? { all: true } : { due: true };
}

function stopping(output: Output): () => void {
  return () => output.warn('stopping after the current source… (press Ctrl-C again to quit at once)');
}

function hexoWarning(output: Output): (warning: string) => void {
  return (warning) => output.warn(`Hexo: ${warning}`);
}

function printReport(output: Output, report: Report): void {
  for (const line of report.details) output.info(line);
  for (const line of report.warnings) output.warn(line);
  for (const line of report.result) output.result(line);
}

/** Runs the CLI; resolves to the exit code. Users see messages, never stack traces (unless --verbose). */
export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  let exitCode = 0;
  const program = createProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
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
    output.error(
      `internal error: ${error instanceof Error ? error.message : String(error)} — please report this with the output of --verbose`,
    );
    // Errors other than Commander's come from actions, which run once the options are parsed, wherever -v stood.
    if (program.opts<GlobalOptions>().verbose) console.error(error);
    return 1;
  }
}

/**
 * `newsstand status | head` closes the pipe early: what is left to print goes nowhere, and the command
 * finishes its work (a sync is not cut short half-way) instead of dying with EPIPE.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.write = (() => true) as typeof stream.write;
  });
}
