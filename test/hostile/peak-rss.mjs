// Preloaded into a child node process (`node --import`): at exit, writes the process's peak resident set
// size in bytes to the file named by NEWSSTAND_PEAK_RSS_FILE, so a test can bound the memory of a real run.
import { writeFileSync } from 'node:fs';

const file = process.env.NEWSSTAND_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
}
