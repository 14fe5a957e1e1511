// Preloaded into each benchmarked child with `node --import=<this file>`.
// When the process exits, it writes its peak resident set size to the file named by
// NEWSSTAND_BENCH_RSS_FILE, as JSON: { maxRSSKB, vmHWMKB }.
//   maxRSSKB — process.resourceUsage().maxRSS, which is getrusage(RUSAGE_SELF).ru_maxrss: kilobytes on Linux.
//   vmHWMKB  — the kernel's own high-water mark from /proc/self/status (Linux only, else null): a cross-check.
// The 'exit' event also fires on process.exit() and when process.exitCode is set; a process killed by a signal
// writes nothing, and the benchmark reports that as unknown.
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.NEWSSTAND_BENCH_RSS_FILE;
if (target) {
  // Keep the variable away from anything the child itself spawns.
  delete process.env.NEWSSTAND_BENCH_RSS_FILE;
  process.on('exit', () => {
    let vmHWMKB = null;
    try {
      const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (match) vmHWMKB = Number(match[1]);
    } catch {
      // not Linux
    }
    try {
      writeFileSync(target, JSON.stringify({ maxRSSKB: process.resourceUsage().maxRSS, vmHWMKB }));
    } catch {
      // the benchmark reports a missing measurement; never change the child's outcome
    }
  });
}
