import { describe, expect, it } from 'vitest';
import { HostLimiter } from './limiter.js';

describe('HostLimiter', () => {
  it('keeps at most perHost tasks per host and concurrency overall in flight', async () => {
    const limiter = new HostLimiter(3, 2);
    const running = new Map<string, number>();
    let overall = 0;
    let peakOverall = 0;
    const peakPerHost = new Map<string, number>();
    const task = (host: string) =>
      limiter.run(`https://${host}/feed`, async () => {
        running.set(host, (running.get(host) ?? 0) + 1);
        overall++;
        peakOverall = Math.max(peakOverall, overall);
        peakPerHost.set(host, Math.max(peakPerHost.get(host) ?? 0, running.get(host)!));
        await new Promise((resolve) => setTimeout(resolve, 10));
        running.set(host, running.get(host)! - 1);
        overall--;
      });
    await Promise.all([...Array.from({ length: 6 }, () => task('a.example')), ...Array.from({ length: 6 }, () => task('b.example'))]);
    expect(peakPerHost.get('a.example')).toBe(2);
    expect(peakPerHost.get('b.example')).toBe(2);
    expect(peakOverall).toBe(3);
  });
});
