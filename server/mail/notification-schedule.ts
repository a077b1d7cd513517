// Every collector ticks the alert and digest jobs; which one runs them is decided by their job rows
// (alert-job.ts, digest-job.ts), so that a tick here decides nothing on its own.
/** Often enough for a 5-minute alert window to close within half a minute of its end. */
export const NOTIFICATION_TICK_MS = 30_000;

/** Runs each job every `tickMs`, one tick at a time; resolves `stop` once the tick under way is done. */
export function scheduleNotifications(
  jobs: readonly (() => Promise<unknown>)[],
  onError: (error: unknown) => void,
  tickMs = NOTIFICATION_TICK_MS,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = (async () => {
      for (const job of jobs) await job().catch(onError);
    })().finally(() => {
      running = undefined;
    });
  }, tickMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
