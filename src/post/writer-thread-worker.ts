// The writer thread's side (writer-thread.ts): writes each batch it is sent, in order, and says how it went.
import { parentPort } from 'node:worker_threads';
import { writeFileAtomicSync } from './atomic-write.js';
import type { WriterReply } from './writer-thread.js';

const port = parentPort!;
let failed = false;
port.on('message', (files: Array<{ path: string; text: string }>) => {
  // After a failure nothing more is written, as in the main thread's writer.
  if (failed) return port.postMessage({ written: 0, skipped: files.length } satisfies WriterReply);
  for (const [index, { path, text }] of files.entries()) {
    try {
      writeFileAtomicSync(path, text);
    } catch (error) {
      failed = true;
      return port.postMessage({ written: index, skipped: files.length - index, failure: (error as Error).message } satisfies WriterReply);
    }
  }
  port.postMessage({ written: files.length, skipped: 0 } satisfies WriterReply);
});
