import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO = resolve(import.meta.dirname, '../..');
const PRELOAD = pathToFileURL(join(import.meta.dirname, 'peak-rss.mjs')).href;

export interface MeasuredRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The child's peak resident set size in bytes, as it reported at exit; null when it died without exiting. */
  peakRss: number | null;
}

/** The built CLI (`bin/newsstand.js`) in a child process that reports its own peak RSS when it exits. */
export function runCliMeasured(args: string[], options: { cwd?: string } = {}): Promise<MeasuredRun> {
  const dir = mkdtempSync(join(tmpdir(), 'newsstand-rss-'));
  const report = join(dir, 'peak');
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, join(REPO, 'bin/newsstand.js'), ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: '1', NEWSSTAND_PEAK_RSS_FILE: report },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end();
    child.on('close', (code, signal) => {
      let peakRss: number | null = null;
      try {
        peakRss = Number(readFileSync(report, 'utf8'));
      } catch {
        // no report: the process was killed (or crashed hard) before its exit handlers ran
      }
      rmSync(dir, { recursive: true, force: true });
      done({ code, signal, stdout, stderr, peakRss });
    });
  });
}
