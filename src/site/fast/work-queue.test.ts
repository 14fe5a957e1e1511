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
});
