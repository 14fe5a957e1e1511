/**
 * The work of one build shared by two processes (build-helper.ts): the helper is granted items from the front,
 * the build takes them from the back, so they meet wherever each one's speed brings them.
 */
export class WorkQueue<T> {
  private items: T[];
  private front = 0;
  private back: number;

  constructor(items: readonly T[]) {
    this.items = [...items];
    this.back = this.items.length;
  }

  get size(): number {
    return this.back - this.front;
  }

  takeFront(count: number): T[] {
    const taken = this.items.slice(this.front, Math.min(this.front + count, this.back));
    this.front += taken.length;
    return taken;
  }

  takeBack(): T | undefined {
    return this.back > this.front ? this.items[--this.back] : undefined;
  }

  /**
   * Does `work` on the items from the back until none are left, then on what the helper gives back of its grant
   * while it has some to give, and, once its share is over, on what a helper that failed gave back.
   */
  async drain(work: (item: T) => Promise<void>, helping?: Helping): Promise<void> {
    const rest = async () => {
      for (let item = this.takeBack(); item !== undefined; item = this.takeBack()) await work(item);
    };
    await rest();
    if (!helping) return;
    while ((await helping.reclaim()) > 0) await rest();
    await helping.done;
    await rest();
  }

  /** Items the helper was granted and did not finish: back in the queue, for the build to take. */
  giveBack(items: readonly T[]): void {
    this.items = [...items, ...this.items.slice(this.front, this.back)];
    this.front = 0;
    this.back = this.items.length;
  }
}

/** A helper's part in draining a queue (build-helper.ts). */
export interface Helping {
  /** Resolves when the helper has no more of the queue's items: all done, or given back. */
  done: Promise<void>;
  /** Has the helper give back (into the queue) part of its grant it has not begun; resolves with how many came back. */
  reclaim(): Promise<number>;
}
