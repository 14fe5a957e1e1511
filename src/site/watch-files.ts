/** Noticing changes to what a Hexo build reads, for `newsstand serve`. */
import { existsSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, join, sep } from 'node:path';

/**
 * Calls `changed` whenever something the build reads changes: the source directory, the site's themes,
 * and `_config.yml` (or `_config.<theme>.yml`). Returns a function that stops watching.
 */
export function watchSite(root: string, sourceDir: string, changed: () => void): () => void {
  const stops = [sourceDir, join(root, 'themes')].filter((dir) => existsSync(dir)).map((dir) => watchTree(dir, changed));
  const configWatcher = watch(root, (_event, name) => {
    if (name && /^_config(\.[^/\\]+)?\.ya?ml$/.test(basename(name.toString()))) changed();
  });
  configWatcher.on('error', () => configWatcher.close());
  return () => {
    configWatcher.close();
    for (const stop of stops) stop();
  };
}

/**
 * Watches a directory tree. macOS and Windows watch a tree natively; elsewhere Node's recursive mode
 * watches every file and runs out of inotify watches on a site of some thousand posts, so each directory
 * is watched instead. Where watching is refused (no watches left, a network file system), the tree is
 * polled every two seconds.
 */
function watchTree(dir: string, changed: () => void): () => void {
  try {
    if (process.platform === 'darwin' || process.platform === 'win32') {
      const watcher = watch(dir, { recursive: true }, () => changed());
      watcher.on('error', () => watcher.close());
      return () => watcher.close();
    }
    return watchEachDirectory(dir, changed);
  } catch {
    return pollTree(dir, changed);
  }
}

function watchEachDirectory(top: string, changed: () => void): () => void {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    const watcher = watch(dir, (event, name) => {
      changed();
      // An entry appeared or went: it may be a directory to watch or to forget.
      if (event === 'rename' && name) look(join(dir, name.toString()));
    });
    watcher.on('error', () => forget(dir));
    watchers.set(dir, watcher);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) add(join(dir, entry.name));
  };
  const forget = (dir: string) => {
    for (const [watched, watcher] of watchers) {
      if (watched === dir || watched.startsWith(dir + sep)) {
        watcher.close();
        watchers.delete(watched);
      }
    }
  };
  const look = (path: string) => {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats?.isDirectory()) return forget(path);
    try {
      add(path);
    } catch {
      // No watches left for it: the rest of the tree is still watched.
    }
  };
  try {
    add(top);
  } catch (error) {
    forget(top);
    throw error;
  }
  return () => forget(top);
}

function pollTree(dir: string, changed: () => void): () => void {
  let last = treeSignature(dir);
  const timer = setInterval(() => {
    const now = treeSignature(dir);
    if (now !== last) changed();
    last = now;
  }, 2_000);
  return () => clearInterval(timer);
}

/** Every file's path, size and modification time, as one string. */
function treeSignature(dir: string): string {
  const parts: string[] = [];
  const visit = (current: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) visit(path);
      else {
        const stats = statSync(path, { throwIfNoEntry: false });
        if (stats) parts.push(`${path}\t${stats.size}\t${stats.mtimeMs}`);
      }
    }
  };
  visit(dir);
  return parts.sort().join('\n');
}
