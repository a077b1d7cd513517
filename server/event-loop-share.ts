// Long reads (exports, searches, statistics, the purge) run on the event loop that also takes
// ratings: on SQLite every query is synchronous, and on both engines formatting rows is JavaScript.
// They cut their work into small units and call shareEventLoop() between two: all of them together
// then get at most SLICE_MS of each turn of the event loop, and the rest of the turn goes to I/O
// (ratings, /healthz). A per-task pause would not do: eight searches pausing each after 4 ms would
// still hold a turn 32 ms.

import { isMainThread } from 'node:worker_threads';

/**
 * In the read worker (agency/read-worker.ts) no rating waits: the slice there only keeps its
 * exports and searches taking turns, and a longer one wastes less of the thread on timers.
 */
const WORKER_SLICE_MS = 20;
/**
 * The read worker's pause between two slices: its work (and its database connection's) then takes
 * at most two thirds of a core, and the rest of the machine goes to ratings even where the database
 * runs beside the collector.
 */
const WORKER_PAUSE_MS = 10;
const PAUSE_MS = isMainThread ? 0 : WORKER_PAUSE_MS;

/**
 * Milliseconds of background work per turn, every task together, plus the unit of work under way.
 * Measured (README "Performance", bench:isolation): 2 ms gave ratings the same p99 under load and
 * the agencies a fifth fewer searches. A lone task gets about 4 ms of every 5 (the next slice is a
 * timer, and Node's shortest timer is 1 ms).
 */
export const SLICE_MS = isMainThread ? 4 : WORKER_SLICE_MS;

let turnStart = Number.NEGATIVE_INFINITY;
let scheduled = false;
const waiting: (() => void)[] = [];

function turn(): void {
  scheduled = false;
  turnStart = performance.now();
  waiting.shift()?.();
  // Whoever is woken hands on to the others while the slice lasts (below); the rest wait for the next turn.
  if (waiting.length > 0) schedule();
}

// The next slice is a timer, not setImmediate: timers run before the loop polls for I/O, so the
// ratings that poll brings in are committed (group commit's setImmediate) and answered in the same
// turn instead of after another slice. Measured on a quiet machine: rating p50 5.5 ms under load
// against 8.4 ms with setImmediate, p99 20.9 against 24.7 ms.
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(turn, PAUSE_MS);
}

/**
 * Resolves when the caller may do its next unit of work (a unit: about a millisecond at most).
 * Within the turn's slice it hands over to the next waiting task first, so that concurrent tasks
 * take turns; once the slice is spent it waits for the next turn of the event loop.
 */
export function shareEventLoop(): Promise<void> {
  const withinSlice = performance.now() - turnStart < SLICE_MS;
  if (withinSlice && waiting.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (withinSlice) waiting.shift()!();
    else schedule();
  });
}
