import { type ChildProcess, fork } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { packagePath } from '../own-package.js';
import type { GenerateMessage, GenerateRequest, WorkerCommand } from './hexo-generate.js';

/** What a build in the worker came to: its last report, what Hexo said, and how the worker ended if it did. */
export interface GenerateOutcome {
  done: Extract<GenerateMessage, { kind: 'done' }> | null;
  errors: string[];
  warnings: string[];
  /** What went wrong as the worker ended (describeWorkerEnd), or null. */
  ending: string | null;
  outOfMemory: boolean;
}

/** Runs one build in a Hexo worker process of its own, which ends with it. */
export function generateOnce(request: GenerateRequest, timezone: string): Promise<GenerateOutcome> {
  const worker = new WorkerProcess(request.root, timezone, request.verbose);
  return worker.build(request);
}

/**
 * A Hexo worker kept between builds, for a process that builds the same site again and again (watch, serve):
 * an incremental build (newsstand's theme) reuses the Hexo it loaded, its theme and what the last build read
 * (fast/memory.ts), instead of starting Node, Hexo and the plugins and reading the caches for every new post.
 * A full Hexo build always gets a process of its own (Hexo's generate is made to run once), and so does a build
 * for another site, theme or configuration. `close()` ends the worker once it has saved what it deferred.
 */
export class KeptWorker {
  private worker: WorkerProcess | null = null;

  async build(request: GenerateRequest, timezone: string): Promise<GenerateOutcome> {
    if (!request.fast) return generateOnce(request, timezone);
    const worker = await this.workerFor(request, timezone);
    const outcome = await worker.build({ ...request, keep: true });
    if (!worker.alive) this.worker = null;
    return outcome;
  }

  /**
   * Starts the worker for an incremental build and has it load Hexo and read what the build will read, so that
   * the first build is as quick as the next: watch and serve call this when they start. Resolves when the worker
   * is ready (a build asked for meanwhile waits for it), or at once when the build will not be incremental.
   */
  async prepare(request: GenerateRequest, timezone: string): Promise<void> {
    if (!request.fast) return;
    const worker = await this.workerFor(request, timezone);
    await worker.prepare({ ...request, keep: true });
  }

  /** The kept worker, when it is alive and for this site, theme and configuration; else a new one. */
  private async workerFor(request: GenerateRequest, timezone: string): Promise<WorkerProcess> {
    const key = JSON.stringify([request.root, timezone, request.theme, request.noReferrer, request.verbose, request.fast]);
    if (this.worker && (!this.worker.alive || this.worker.key !== key)) await this.close();
    this.worker ??= new WorkerProcess(request.root, timezone, request.verbose, key);
    return this.worker;
  }

  /** The worker's process id while there is one. */
  get pid(): number | undefined {
    return this.worker?.pid;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.stop();
  }
}

/** One forked Hexo worker (hexo-generate.ts), with the site as its working directory. */
class WorkerProcess {
  private readonly child: ChildProcess;
  private readonly closed: Promise<void>;
  private ended = false;
  private exited = false;
  private heapLimitMB: number | null = null;
  /** Waiting for the worker to have read ahead: resolved by its 'prepared', or its end. */
  private readonly prepared: Array<() => void> = [];
  /** The build under way: what it collects, and how it completes. */
  private current: {
    outcome: GenerateOutcome;
    stderr: string;
    complete: (outcome: GenerateOutcome) => void;
  } | null = null;

  constructor(
    root: string,
    timezone: string,
    private readonly verbose: boolean,
    readonly key = '',
  ) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NEWSSTAND_HEXO_WORKER: '1',
      PATH: [join(root, 'node_modules', '.bin'), process.env.PATH ?? ''].filter(Boolean).join(delimiter),
    };
    // Hexo reads front-matter dates as wall-clock time in the machine's zone and then shifts them into
    // `timezone`; posts state their dates in GMT, so Hexo must run in the site's zone for no shift to happen.
    if (timezone) env.TZ = timezone;
    this.child = fork(workerScript(), [], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    // Hexo's own output (with -v) goes to standard error, so that --json output stays clean.
    this.child.stdout!.on('data', (chunk: Buffer) => this.verbose && process.stderr.write(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      if (this.verbose) process.stderr.write(chunk);
      const current = this.current;
      if (!current) return;
      current.stderr = (current.stderr + chunk.toString()).slice(-4000);
      current.outcome.outOfMemory ||= OUT_OF_MEMORY.test(current.stderr);
    });
    this.child.on('message', (message: GenerateMessage) => this.receive(message));
    this.child.on('error', (error) => this.current?.outcome.errors.push(`could not start Hexo: ${error.message}`));
    this.closed = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exited = true;
        const current = this.current;
        if (current) {
          const { outcome, stderr } = current;
          outcome.ending = describeWorkerEnd({
            done: outcome.done !== null,
            ended: this.ended,
            code,
            signal,
            stderr,
            outOfMemory: outcome.outOfMemory,
            heapLimitMB: this.heapLimitMB,
          });
          this.finish();
        }
        for (const ready of this.prepared.splice(0)) ready();
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The worker is there and will take another build. */
  get alive(): boolean {
    return !this.exited && !this.ended;
  }

  build(request: GenerateRequest): Promise<GenerateOutcome> {
    return new Promise((complete) => {
      this.current = { outcome: { done: null, errors: [], warnings: [], ending: null, outOfMemory: false }, stderr: '', complete };
      this.send({ kind: 'build', request });
    });
  }

  /** Resolves when the worker has read ahead (or could not, and ended: the next build starts another). */
  prepare(request: GenerateRequest): Promise<void> {
    return new Promise((resolve) => {
      this.prepared.push(resolve);
      this.send({ kind: 'prepare', request });
    });
  }

  /** Asks the worker to end (it saves what it deferred first) and waits until it has. */
  async stop(): Promise<void> {
    if (!this.exited) this.send({ kind: 'exit' });
    await this.closed;
  }

  private receive(message: GenerateMessage): void {
    const outcome = this.current?.outcome;
    if (message.kind === 'prepared') this.prepared.shift()?.();
    else if (message.kind === 'start') this.heapLimitMB = message.heapLimitMB;
    else if (message.kind === 'end') this.ended = true;
    else if (!outcome) return;
    else if (message.kind === 'warning') outcome.warnings.push(message.text);
    else if (message.kind === 'error') outcome.errors.push(message.text);
    else if (message.kind === 'done') outcome.done = message;
    // A kept worker's build is over when it says it is ready for the next; any other ends with the process.
    else if (message.kind === 'idle') this.finish();
  }

  private finish(): void {
    const current = this.current;
    this.current = null;
    current?.complete(current.outcome);
  }

  private send(command: WorkerCommand): void {
    if (this.child.connected) this.child.send(command);
  }
}

/** How the worker ended: its last message, exit code or signal, what it said last, its heap limit. */
interface WorkerEnd {
  done: boolean;
  ended: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** V8 said it ran out of heap (on standard error, before its stack trace). */
  outOfMemory: boolean;
  heapLimitMB: number | null;
}

/**
 * What went wrong at the end of the worker, or null when it ended cleanly: the 'end' message, then exit 0.
 * Pages written ('done') are not enough: Hexo's exit runs the plugins' before_exit filters (Hexo's own saved
 * db.json there, the peak of a large build's memory), and a worker that died there left a build nobody can
 * vouch for.
 */
function describeWorkerEnd(end: WorkerEnd): string | null {
  if (end.ended && end.code === 0 && !end.signal) return null;
  const when = end.done ? 'after writing the pages, while finishing' : 'while building';
  const said = lastLines(end.stderr);
  if (end.outOfMemory) {
    const limit = end.heapLimitMB ? `V8 heap limit ${end.heapLimitMB.toLocaleString('en-US')} MB` : 'V8 heap limit';
    return `Hexo ran out of memory (${limit}) ${when}`;
  }
  if (end.signal) return `Hexo was stopped by ${end.signal} ${when}${said ? `: ${said}` : ''}`;
  if (end.code !== 0) return `Hexo exited with code ${end.code} ${when}${said ? `: ${said}` : ''}`;
  return `Hexo exited ${when}, before its last message (a theme or plugin ended the process)${said ? `: ${said}` : ''}`;
}

/** What V8 prints when it aborts for want of heap ("FATAL ERROR: Reached heap limit Allocation failed - …"). */
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit/;

function lastLines(text: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = text
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '));
  return lines.slice(-3).join(' ');
}

/** The worker's script: tsc's, in dist/site/, also when this runs from src/ (tests) or from the CLI's bundle. */
export function workerScript(): string {
  return packagePath('dist', 'site', 'hexo-generate.js');
}
