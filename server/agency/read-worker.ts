// The read worker's own side (built to dist/read-worker.js; worker-reads.ts starts it): a thread
// with a database connection of its own that runs the agency's long reads, listings and exports,
// and sends their results back. Ratings are taken by the main thread, which this one never holds up.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { HttpError } from '../http-errors.ts';
import { openStore } from '../store/open-store.ts';
import { StorageUnavailableError } from '../store/store.ts';
import { type AgencyReads, inThreadReads } from './agency-reads.ts';
import type { FromWorker, ReadWorkerData, ToWorker } from './worker-reads.ts';

const port = parentPort!;
const { databasePath, databaseUrl } = workerData as ReadWorkerData;

/** Chunks an export may have sent ahead of what the client has taken: the rest waits here, unread. */
const WINDOW = 8;

// Below the main thread in the scheduler's eyes: on a busy machine the cores go to ratings first.
// Linux names a thread by its id, which /proc/thread-self gives; elsewhere the thread keeps the default.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19);
} catch {}

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const errorOf = (error: unknown) =>
  error instanceof HttpError
    ? { statusCode: error.statusCode, code: error.code, message: error.message, details: error.details }
    : error instanceof StorageUnavailableError
      ? // As the main thread's error handler answers it: the database is down, not the collector.
        { statusCode: 503, code: 'storage_unavailable' as const, message: 'The database is unavailable: try again in a moment.' }
      : { message: error instanceof Error ? error.message : String(error) };

/** An export under way: how many more chunks it may send, and who waits for that to grow. */
interface Flow {
  credit: number;
  wake?: () => void;
  body?: Readable;
  cancelled: boolean;
}
const flows = new Map<number, Flow>();

async function stream(id: number, body: Readable, flow: Flow): Promise<void> {
  flow.body = body;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    if (flow.cancelled) break;
    // A copy: a small Buffer shares its memory with others, which transferring would take from them.
    const bytes = new Uint8Array(Buffer.from(chunk));
    flow.credit--;
    send({ type: 'chunk', id, bytes }, [bytes.buffer as ArrayBuffer]);
    while (flow.credit <= 0 && !flow.cancelled) await new Promise<void>((resolve) => (flow.wake = resolve));
  }
}

async function serve(reads: AgencyReads, message: ToWorker): Promise<void> {
  const { id } = message;
  try {
    if (message.type === 'list') {
      send({ type: 'result', id, value: await reads.list(message.procedureId, message.filters, message.options) });
    } else if (message.type === 'export') {
      const flow: Flow = { credit: WINDOW, cancelled: false };
      flows.set(id, flow);
      await stream(id, await reads.exportBody(message.format, message.procedureId, message.filters), flow);
      if (!flow.cancelled) send({ type: 'end', id });
    }
  } catch (error) {
    send({ type: 'error', id, error: errorOf(error) });
  } finally {
    flows.get(id)?.body?.destroy();
    flows.delete(id);
  }
}

const store = await openStore({ databasePath, databaseUrl, databasePoolSize: 1 });
const reads = inThreadReads(store);
port.on('message', (message: ToWorker) => {
  if (message.type === 'close') {
    // Ends the thread once the connection is closed: nothing else keeps it alive.
    void store.close().finally(() => port.close());
    return;
  }
  if (message.type === 'more' || message.type === 'cancel') {
    const flow = flows.get(message.id);
    if (!flow) return;
    if (message.type === 'more') flow.credit++;
    else flow.cancelled = true;
    flow.wake?.();
    return;
  }
  void serve(reads, message);
});
send({ type: 'ready' });
