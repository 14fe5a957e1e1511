/**
 * Runs `work` with an AbortSignal that SIGINT/SIGTERM trigger: the run stops between sources, releases
 * the lock and exits normally; `stoppedBy` names the signal, for the exit code of a run that did not finish.
 * A second signal exits at once (atomic writes leave nothing half-written, and the lock of a dead process is
 * taken over by the next run).
 */
export async function withInterrupt<T>(
  work: (signal: AbortSignal, stoppedBy: () => NodeJS.Signals | null) => Promise<T>,
  onStop?: (signal: NodeJS.Signals) => void,
): Promise<T> {
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(exitCodeFor(signal));
    stoppedBy = signal;
    onStop?.(signal);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    return await work(controller.signal, () => stoppedBy);
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
}

/** The shell's code for a process ended by a signal: 130 for SIGINT (Ctrl-C), 143 for SIGTERM. */
export function exitCodeFor(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130;
}
