import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO, rss, type RssItem } from '../helpers/site.js';

/**
 * A loopback feed that answers only when told to. A run holds the site's lock while it waits for a feed, so
 * a held feed keeps a run inside its lock for as long as a test needs — no sleeps, no timing guesses.
 */
export class HeldFeed {
  requests = 0;
  items: RssItem[];
  private held: ServerResponse[] = [];
  private open = false;
  private readonly server = createServer((_request, response) => {
    this.requests++;
    if (this.open) this.answer(response);
    else this.held.push(response);
  });

  constructor(items: RssItem[]) {
    this.items = items;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/feed.xml`;
  }

  /** Requests from now on wait for release(). */
  hold(): void {
    this.open = false;
  }

  /** Answers the waiting requests and those to come. */
  release(): void {
    this.open = true;
    for (const response of this.held.splice(0)) this.answer(response);
  }

  close(): void {
    this.release();
    this.server.closeAllConnections();
    this.server.close();
  }

  private answer(response: ServerResponse): void {
    if (!response.destroyed) response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(this.items));
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A `newsstand` process whose output is collected as it comes, so a test can wait for a line. */
export class Cli {
  readonly child: ChildProcess;
  output = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  done = false;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [join(REPO, 'bin/newsstand.js'), ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      this.output += chunk.toString();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      this.output += chunk.toString();
    });
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => {
        this.done = true;
        resolve({ code, signal, stdout, stderr: this.stderr });
      }),
    );
  }

  /** Resolves once the output matches `pattern`; fails after `ms` with the output so far. */
  async waitFor(pattern: RegExp, ms = 30_000): Promise<void> {
    await until(
      () => pattern.test(this.output),
      ms,
      () => `waiting for ${pattern}; output so far:\n${this.output}`,
    );
  }
}

/** Polls `condition` every 20 ms; fails after `ms` (a guard against hanging, not a timing target). */
export async function until(condition: () => boolean, ms = 30_000, describe: () => string = () => 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
