// Preloaded into each benchmarked child with `node --import=<this file>`.
// When the process exits, it appends its peak resident set size to the file named by
// NEWSSTAND_BENCH_RSS_FILE, as one JSON line: { pid, ppid, maxRSSKB, vmHWMKB, heapLimitMB }.
//   maxRSSKB    — process.resourceUsage().maxRSS, which is getrusage(RUSAGE_SELF).ru_maxrss: kilobytes on Linux.
//   vmHWMKB     — the kernel's own high-water mark from /proc/self/status (Linux only, else null): a cross-check.
//   heapLimitMB — V8's heap limit in this process: shows whether --max-old-space-size reached it.
// A line per process, because the child is not always alone: `newsstand build`, `run` and `watch` fork Hexo
// into a worker process (src/site/build.ts), and fork passes on this preload (execArgv) and the environment,
// so the worker appends its own line — its peak, which is the build's, is not in the parent's rusage.
// bench/child.mjs adds them up. The 'exit' event also fires on process.exit() and when process.exitCode is
// set; a process killed by a signal, or one V8 aborts (heap exhausted), writes nothing, and the benchmark
// reports that.
import { appendFileSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';

const target = process.env.NEWSSTAND_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    let vmHWMKB = null;
    try {
      const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (match) vmHWMKB = Number(match[1]);
    } catch {
      // not Linux
    }
    try {
      const line = {
        pid: process.pid,
        ppid: process.ppid,
        maxRSSKB: process.resourceUsage().maxRSS,
        vmHWMKB,
        heapLimitMB: Math.round(v8.getHeapStatistics().heap_size_limit / 1024 / 1024),
      };
      // One short write with O_APPEND: lines of processes ending at once do not interleave.
      appendFileSync(target, `${JSON.stringify(line)}\n`);
    } catch {
      // the benchmark reports a missing measurement; never change the child's outcome
    }
  });
}
