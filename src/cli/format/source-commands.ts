/** What the commands that manage sources print, as text: the CLI decides where each part goes (quiet, JSON). */
import type { AddResult } from '../../commands/add.js';
import type { ToggleResult } from '../../commands/disable.js';
import type { ImportResult } from '../../commands/import.js';
import type { RemoveResult } from '../../commands/remove.js';

/** Lines a report prints: details (hidden by --quiet), the result (always), warnings (standard error). */
export interface Report {
  details: string[];
  result: string[];
  warnings: string[];
}

/** Long lists are cut to this many lines unless --verbose: an import of thousands stays readable. */
const LIST_LIMIT = 20;

/** `add`: the source added (and the page that linked it); or, when none was found, the RSSHub routes to try instead. */
export function formatAdd(result: AddResult, target: string, dryRun: boolean): Report {
  if (result.added) {
    const { kind, location, categories, name, foundOn } = result.added;
    const named = name ? ` (name: ${name})` : '';
    return {
      details: foundOn ? [`${foundOn} links its feed: ${location}`] : [],
      result: [
        `${dryRun ? 'Would add' : 'Added'} ${kind}:${location}${named} — categories: ${categories.length ? categories.join(' › ') : '(none: filed under its name)'}`,
      ],
      warnings: [],
    };
  }
  const lines =
    result.suggestions.length === 0
      ? [
          `No feed found on ${target}, and RSSHub knows no route for it.`,
          'The page links no feed (no <link rel="alternate"> in its head). If the site publishes one, add the feed\'s URL itself: newsstand add https://…/feed.xml',
        ]
      : [
          `No feed found on ${target}. RSSHub routes for it:`,
          ...result.suggestions.map(({ route, title }) => `  newsstand add rsshub:${route}${title ? `    # ${title}` : ''}`),
          "(The page links no feed; if the site publishes one elsewhere, add the feed's URL itself.)",
        ];
  return { details: [], result: lines, warnings: [] };
}

export function formatImport(result: ImportResult, configFile: string, verbose: boolean): Report {
  const details: string[] = [];
  const warnings: string[] = [];
  const verb = result.dryRun ? 'Would add' : 'Added';
  if (result.added.length > 0) {
    details.push(`${verb} to ${configFile}:`);
    details.push(
      ...limited(
        result.added.map((source) => {
          const categories =
            source.categories.length > 0
              ? source.categories.join(' › ')
              : source.kind === 'rsshub'
                ? '(from RSSHub)'
                : '(none: filed under its name)';
          const where = `${source.kind}:${source.location}`;
          return `  + ${source.name ? `${source.name} — ${where}` : where} — ${categories}${source.disabled ? ' (disabled)' : ''}`;
        }),
        verbose,
      ),
    );
  }
  if (result.duplicates.length > 0) {
    details.push('Already there (skipped):');
    details.push(
      ...limited(
        result.duplicates.map(
          (duplicate) => `  = line ${duplicate.line}: ${duplicate.name || duplicate.location} — same as ${duplicate.sameAs}`,
        ),
        verbose,
      ),
    );
  }
  for (const line of limited(
    [...result.skipped]
      .sort((a, b) => a.line - b.line)
      .map((skipped) => `${result.file}:${skipped.line}: ${skipped.name ? `"${skipped.name}" ` : ''}skipped — ${skipped.reason}`),
    verbose,
  ))
    warnings.push(line);
  warnings.push(...result.notes);
  const counts = [
    `${result.added.length} source${result.added.length === 1 ? '' : 's'} ${result.dryRun ? 'would be added' : 'added'}`,
    `${result.duplicates.length} already there`,
    `${result.skipped.length} outline${result.skipped.length === 1 ? '' : 's'} skipped`,
  ];
  const tail = result.dryRun ? ' — dry run: nothing was written' : result.added.length > 0 ? '' : ` — ${configFile} is unchanged`;
  return { details, result: [`Imported ${result.file}: ${counts.join(', ')}${tail}.`], warnings };
}

export function formatRemove(result: RemoveResult, purge: boolean): string[] {
  const lines: string[] = [];
  const would = result.dryRun ? 'Would remove' : 'Removed';
  if (result.line !== null) lines.push(`${would} ${result.source} (line ${result.line}).`);
  const posts = `${result.posts} post${result.posts === 1 ? '' : 's'}`;
  if (purge) {
    lines.push(
      result.dryRun
        ? `Would delete its ${posts} from ${result.postsDir} and forget it in the state.`
        : `Deleted its ${result.purged} post${result.purged === 1 ? '' : 's'} from ${result.postsDir}; the state forgot it.`,
    );
  } else if (result.posts > 0) {
    lines.push(
      `Its ${posts} stay in ${result.postsDir} (retention no longer prunes them); "newsstand remove --purge ${result.key}" deletes them.`,
    );
  }
  return lines;
}

export function formatToggle(result: ToggleResult): string {
  if (!result.changed) return `${result.source} is ${result.disabled ? 'disabled' : 'enabled'} already; nothing changed.`;
  return `${result.disabled ? 'Disabled' : 'Enabled'} ${result.source} (line ${result.line}).`;
}

/** `export -o FILE`: how many sources went to the file (named as the user typed it). */
export function formatExported(feeds: number, file: string): string {
  return `Exported ${feeds} source${feeds === 1 ? '' : 's'} to ${file}`;
}

function limited(lines: string[], verbose: boolean): string[] {
  if (verbose || lines.length <= LIST_LIMIT) return lines;
  return [...lines.slice(0, LIST_LIMIT), `  … and ${lines.length - LIST_LIMIT} more (--verbose lists all, --json gives all)`];
}
