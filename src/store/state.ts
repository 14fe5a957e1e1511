import { FullTexts, MirroredImages, RsshubNamespaces } from './caches.js';
import { StateDb } from './db.js';
import { Items } from './items.js';
import { Journal } from './journal.js';
import { Sources } from './sources.js';

/**
 * The site's state database (`.newsstand/state.db`): what was published (items), how each source fares
 * (sources), what saves asking the network again (full texts, mirrored images, RSSHub metadata), and the
 * crash journal. One object per group of tables; rows come out in camelCase, with booleans.
 */
export class StateStore {
  readonly items: Items;
  readonly sources: Sources;
  readonly fullTexts: FullTexts;
  readonly images: MirroredImages;
  readonly rsshubNamespaces: RsshubNamespaces;
  readonly journal: Journal;

  private constructor(private readonly db: StateDb) {
    this.items = new Items(db);
    this.sources = new Sources(db);
    this.fullTexts = new FullTexts(db);
    this.images = new MirroredImages(db);
    this.rsshubNamespaces = new RsshubNamespaces(db);
    this.journal = new Journal(db);
  }

  static open(path: string, options: { readonly?: boolean } = {}): StateStore {
    return new StateStore(StateDb.open(path, options));
  }

  /** The database records no item yet (see StateDb.created): the caller rebuilds it from the posts. */
  get created(): boolean {
    return this.db.created;
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work);
  }

  /**
   * Forgets a source entirely (`remove --purge`): its items, tombstones included, their full texts and
   * image links, and its fetch state — so the source, added again, starts afresh rather than with a
   * conditional request that would answer "not modified". The caller deletes the post files after.
   */
  forgetSource(key: string): void {
    this.transaction(() => {
      this.items.forgetSource(key);
      this.sources.forget(key);
    });
  }

  close(): void {
    this.db.close();
  }
}
