import { describe, expect, it } from 'vitest';
import { FetchError } from '../../errors.js';
import { InstanceSkipped, RsshubInstances } from './instances.js';

describe('RsshubInstances.use', () => {
  it('lets requests read at the same time wait for the first one: a failing instance is asked once', async () => {
    const instances = new RsshubInstances();
    let calls = 0;
    const failing = () => {
      calls++;
      return new Promise<never>((_resolve, reject) =>
        setTimeout(() => reject(new FetchError('HTTP 503', 'http-5xx', { status: 503 })), 20),
      );
    };
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => instances.use('https://a.example', failing)));
    expect(calls).toBe(1);
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { kind: 'http-5xx' } });
    for (const outcome of outcomes.slice(1)) expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(InstanceSkipped);
    expect(instances.alive(['https://a.example', 'https://b.example'])).toEqual(['https://b.example']);
  });

  it('runs requests freely once an instance has answered, and a 4xx does not kill it', async () => {
    const instances = new RsshubInstances();
    await instances.use('https://a.example', async () => 'ok');
    await expect(
      instances.use('https://a.example', async () => Promise.reject(new FetchError('HTTP 404', 'http-4xx', { status: 404 }))),
    ).rejects.toThrow('404');
    expect(instances.isDead('https://a.example')).toBe(false);
    let running = 0;
    let peak = 0;
    await Promise.all(
      [1, 2, 3].map(() =>
        instances.use('https://a.example', async () => {
          peak = Math.max(peak, ++running);
          await new Promise((resolve) => setTimeout(resolve, 10));
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});
