/** At most `max` tasks at once; the rest wait in order. */
export class Limiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** One limiter overall and one per host: `fetch.concurrency` and `fetch.perHost`. */
export class HostLimiter {
  private readonly overall: Limiter;
  private readonly hosts = new Map<string, Limiter>();

  constructor(
    concurrency: number,
    private readonly perHost: number,
  ) {
    this.overall = new Limiter(concurrency);
  }

  run<T>(url: string, task: () => Promise<T>): Promise<T> {
    const host = new URL(url).host.toLowerCase();
    let limiter = this.hosts.get(host);
    if (!limiter) this.hosts.set(host, (limiter = new Limiter(this.perHost)));
    return limiter.run(() => this.overall.run(task));
  }
}
