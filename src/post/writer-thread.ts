import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { AtomicWriter } from './atomic-write.js';

/** What the thread says of each batch; `failure` is the UserError's message for the file it stopped at. */
export interface WriterReply {
  written: number;
  skipped: number;
  failure?: string;
}

/** Files to write from which a thread is worth its start-up (~30 ms of the other core, ~15 MB). */
const THREAD_MIN_FILES = 200;

// Compiled beside this module, and bundled beside the CLI's chunk that holds it (scripts/bundle-cli.mjs); absent
// when the sources run untranspiled (tests): then the main thread writes.
const WORKER_FILE = new URL('./writer-thread-worker.js', import.meta.url);

/** What publishing needs of a writer: writing starts as files are handed over; finish() waits for all of them. */
export interface FileWriter {
  readonly failed: boolean;
  add(files: ReadonlyArray<{ path: string; text: string }>): void;
  finish(): Promise<void>;
}

/**
 * A writer for about `expected` files: a thread of its own for many, else the main thread's AtomicWriter.
 * Creating a file and renaming it into place costs this machine's kernel ~0.15–0.2 ms of CPU — 0.3–0.4 s for a
 * first sync of 2,000 posts — and in the main thread that work, and a callback per step, waited for the last
 * post to be cleaned. On a thread of its own it runs on the other core while the main thread cleans.
 */
export function fileWriter(expected: number): FileWriter {
  return expected >= THREAD_MIN_FILES && existsSync(fileURLToPath(WORKER_FILE)) ? new WriterThread() : new AtomicWriter();
}

/** Writes post files atomically on a second thread, in the order handed over; the first failure stops it. */
class WriterThread implements FileWriter {
  // No inherited flags: a preloaded module (--import) is the main thread's business, not the writer's.
  private readonly worker = new Worker(WORKER_FILE, { execArgv: [] });
  private pending = 0;
  private failure: unknown = null;
  private settled: (() => void) | null = null;

  constructor() {
    this.worker.on('message', (reply: WriterReply) => {
      this.pending -= reply.written + reply.skipped;
      if (reply.failure !== undefined) this.failure ??= new UserError(reply.failure);
      this.settle();
    });
    // A thread that dies (out of memory, say) leaves some files unwritten: the journal has their notes.
    this.worker.on('error', (error) => this.stop(error));
    this.worker.on('exit', (code) => this.stop(new Error(`the writer thread stopped (exit code ${code})`)));
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  add(files: ReadonlyArray<{ path: string; text: string }>): void {
    if (files.length === 0 || this.failure !== null) return;
    this.pending += files.length;
    this.worker.postMessage(files);
  }

  async finish(): Promise<void> {
    if (this.pending > 0 && this.failure === null) await new Promise<void>((resolve) => (this.settled = resolve));
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
    if (this.failure !== null) throw this.failure;
  }

  private stop(error: unknown): void {
    this.failure ??= error;
    this.settle();
  }

  private settle(): void {
    if (this.pending > 0 && this.failure === null) return;
    this.settled?.();
    this.settled = null;
  }
}
