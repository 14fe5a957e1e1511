import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.js';

describe('WorkQueue', () => {
  it('grants from the front and takes from the back until they meet, each item once', () => {
    const queue = new WorkQueue([1, 2, 3, 4, 5, 6]);
    expect(queue.takeFront(2)).toEqual([1, 2]);
    expect(queue.takeBack()).toBe(6);
    expect(queue.takeBack()).toBe(5);
    expect(queue.takeFront(5)).toEqual([3, 4]);
    expect(queue.takeBack()).toBeUndefined();
    expect(queue.takeFront(1)).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it('takes back what a helper did not finish, before what was left', () => {
    const queue = new WorkQueue(['a', 'b', 'c', 'd']);
    const granted = queue.takeFront(2);
    expect(queue.takeBack()).toBe('d');
    queue.giveBack(granted);
    expect(queue.size).toBe(3);
    const rest: string[] = [];
    for (let item = queue.takeBack(); item !== undefined; item = queue.takeBack()) rest.push(item);
    expect(rest.sort()).toEqual(['a', 'b', 'c']);
  });

  it('drains its own items, then what the helper gives back while it gives any, then what a failed helper left', async () => {
    const queue = new WorkQueue(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    // The helper was granted five and does none of them: it gives back half of what it holds each time asked.
    let held = queue.takeFront(5);
    const done: string[] = [];
    let reclaims = 0;
    let finish: () => void = () => undefined;
    const helping = {
      done: new Promise<void>((resolve) => {
        finish = resolve;
      }),
      reclaim: async () => {
        reclaims++;
        const back = held.splice(Math.ceil(held.length / 2));
        queue.giveBack(back);
        if (back.length === 0) {
          // It fails holding the rest: that comes back with `done`.
          queue.giveBack(held);
          held = [];
          finish();
        }
        return back.length;
      },
    };
    await queue.drain(async (item) => {
      done.push(item);
    }, helping);
    expect(done.slice(0, 3)).toEqual(['h', 'g', 'f']);
    expect(done.slice(3, 5).sort()).toEqual(['d', 'e']);
    expect(done.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(reclaims).toBeGreaterThan(1);
  });
});
