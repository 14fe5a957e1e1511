import { FetchError } from '../../errors.js';

/** Thrown (and caught by the caller) when an instance is skipped because it failed earlier in the run. */
export class InstanceSkipped extends Error {}

/**
 * The RSSHub instances of one run. An instance that fails (network, timeout, any 5xx — RSSHub answers 503
 * when a route is broken) is not asked again for the rest of the run: with hundreds of routes, waiting on a
 * dead instance for each would make every run slow. Sources are read concurrently, so the first request to
 * an instance is a probe: requests for other sources wait for its outcome instead of all hitting a dead
 * instance at once.
 */
export class RsshubInstances {
  private readonly dead = new Set<string>();
  private readonly proven = new Set<string>();
  private readonly probes = new Map<string, Promise<unknown>>();

  /** The configured instances still worth asking, in order. */
  alive(instances: readonly string[]): string[] {
    return instances.filter((instance) => !this.dead.has(instance));
  }

  isDead(instance: string): boolean {
    return this.dead.has(instance);
  }

  markDead(instance: string): void {
    this.dead.add(instance);
  }

  /** Whether a failure speaks about the instance rather than the route (a 4xx is the route's). */
  failsInstance(error: FetchError): boolean {
    return ['dns', 'connect', 'timeout', 'network', 'http-5xx'].includes(error.kind);
  }

  /** Runs `request` against `instance`, or throws InstanceSkipped when the instance failed in this run. */
  async use<T>(instance: string, request: () => Promise<T>): Promise<T> {
    while (this.probes.has(instance)) await this.probes.get(instance);
    if (this.dead.has(instance)) throw new InstanceSkipped(instance);
    const pending = request();
    if (!this.proven.has(instance))
      this.probes.set(
        instance,
        pending.then(
          () => undefined,
          () => undefined,
        ),
      );
    try {
      const result = await pending;
      this.proven.add(instance);
      return result;
    } catch (error) {
      if (error instanceof FetchError && this.failsInstance(error)) this.markDead(instance);
      throw error;
    } finally {
      this.probes.delete(instance);
    }
  }
}
