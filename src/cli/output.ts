import { fitWidth } from './width.js';

/** How the CLI talks: plain lines or JSON, quiet or verbose, colour only on a terminal without NO_COLOR. */
export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  /** Live progress lines; default: on a terminal, outside CI. */
  interactive?: boolean;
}

type Stream = Pick<NodeJS.WriteStream, 'write' | 'isTTY'> & { columns?: number };

export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly interactive: boolean;
  private readonly colour: boolean;
  private liveLine = false;

  constructor(
    options: OutputOptions,
    private readonly stdout: Stream = process.stdout,
    private readonly stderr: Stream = process.stderr,
  ) {
    this.json = Boolean(options.json);
    this.quiet = Boolean(options.quiet);
    this.verbose = Boolean(options.verbose);
    this.interactive = !this.json && (options.interactive ?? (Boolean(stdout.isTTY) && !process.env.CI));
    this.colour = Boolean(stdout.isTTY) && !('NO_COLOR' in process.env);
  }

  /** A progress line: rewritten in place on a terminal, one line per event otherwise, nothing when quiet or JSON. */
  progress(line: string, live: string): void {
    if (this.quiet || this.json) return;
    if (this.interactive) {
      // Kept to one terminal line, or the next rewrite would leave the wrapped part behind.
      this.stdout.write(`\r\x1b[2K${fitWidth(live, (this.stdout.columns ?? 100) - 1)}`);
      this.liveLine = true;
    } else {
      this.stdout.write(`${line}\n`);
    }
  }

  info(line: string): void {
    if (this.quiet || this.json) return;
    this.endLive();
    this.stdout.write(`${line}\n`);
  }

  /** Always shown (also when quiet): the run's result. */
  result(line: string): void {
    if (this.json) return;
    this.endLive();
    this.stdout.write(`${line}\n`);
  }

  data(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  warn(line: string): void {
    this.endLive();
    this.stderr.write(`${this.paint('33', 'warning:')} ${line}\n`);
  }

  error(line: string): void {
    this.endLive();
    this.stderr.write(`${this.paint('31', 'error:')} ${line}\n`);
  }

  debug(line: string): void {
    if (this.verbose) this.stderr.write(`${line}\n`);
  }

  paint(code: string, text: string): string {
    return this.colour ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  private endLive(): void {
    if (this.liveLine) {
      this.stdout.write('\n');
      this.liveLine = false;
    }
  }
}
