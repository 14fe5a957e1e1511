import type { FetchError } from '../../errors.js';

/**
 * The RSSHub instances of one run. An instance that fails (network, timeout, any 5xx — RSSHub answers 503
 * when a route is broken) is not asked again for the rest of the run: with hundreds of routes, waiting on a
 * dead instance for each would make every run slow.
 */
export class RsshubInstances {
  private readonly dead = new Set<string>();

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
}
