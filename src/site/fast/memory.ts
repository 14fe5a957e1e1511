import { randomUUID } from 'node:crypto';
import type { CachedPost, CachedRoute } from './build-cache.js';
import { MadePosts } from './model.js';
import type { KeptSearch } from './search.js';

/** What one fast build leaves for the next in the same process: the cache's tables and the search index, as read. */
export interface KeptBuild {
  /** The build cache's generation this was kept at (BuildCache.generation). */
  generation: string;
  posts: ReadonlyMap<string, CachedPost>;
  routes: ReadonlyMap<string, CachedRoute>;
  search: KeptSearch | null;
}

/**
 * A long-lived build worker (watch, serve) keeps the last build in memory, so that the next one reads neither
 * build.db's 20,000 posts and 45,000 routes nor the 100 MB search state, and writes the search state only after
 * its pages are on the site. What was kept is used only while the cache is at the generation it was kept at: a
 * build by another process in between (`newsstand build` from a shell) makes it stale, and it is read afresh.
 */
export class BuildMemory {
  /** The posts of the models made so far, reused where the cache entry is the same (model.ts). */
  readonly madePosts = new MadePosts();
  private kept: KeptBuild | null = null;
  private pending: Promise<void> = Promise.resolve();

  /** What was kept, when the cache is still at its generation. */
  recall(generation: string | undefined): KeptBuild | null {
    return this.kept && this.kept.generation === generation ? this.kept : null;
  }

  keep(kept: KeptBuild): void {
    this.kept = kept;
  }

  forget(): void {
    this.kept = null;
  }

  /** Work a build leaves for after its pages are published (saving the search state); the next build waits for it. */
  defer(work: () => Promise<void>): void {
    this.pending = this.pending.then(work).catch(() => this.forget());
  }

  /** Resolves when the deferred work is done: before the next build, and before the worker exits. */
  settled(): Promise<void> {
    return this.pending;
  }
}

/** A new generation for the cache, written with every build's routes. */
export function newGeneration(): string {
  return randomUUID();
}
