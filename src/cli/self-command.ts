import { realpathSync } from 'node:fs';
import { delimiter, join, relative, resolve } from 'node:path';

export interface Invocation {
  /** The script Node is running (process.argv[1]). */
  script: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * How the user can type a newsstand command again from where they are: `npx newsstand` under npx,
 * `newsstand` when that name on PATH is this very script, else `node <script>` (a clone's `npm start`).
 */
export function selfCommand({ script, env, cwd }: Invocation): string {
  if (env.npm_command === 'exec') return 'npx newsstand';
  const running = realPath(script);
  // npm puts node_modules/.bin first on PATH while it runs a script: that one is not on the user's PATH.
  const dirs = (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !(env.npm_lifecycle_event && dir.endsWith(join('node_modules', '.bin'))));
  if (running && dirs.some((dir) => realPath(join(dir, 'newsstand')) === running)) return 'newsstand';
  const path = relative(cwd, script);
  return `node ${path.startsWith('..') || path === '' ? resolve(script) : path}`;
}

/** ` -c FILE` when FILE is not the default newsstand.yml of the working directory. */
export function configArgument(configFile: string, cwd: string): string {
  if (resolve(cwd, 'newsstand.yml') === resolve(configFile)) return '';
  const path = relative(cwd, configFile);
  return ` -c ${quote(path.startsWith('..') ? resolve(configFile) : path)}`;
}

function quote(path: string): string {
  return /^[\w./@:+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function realPath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}
