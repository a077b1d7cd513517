// The agency's long reads done by a read worker (read-worker.ts), for `jdma serve`. On SQLite
// every query blocks the thread that runs it, and on both engines formatting an export is
// JavaScript: shared with ratings in slices (event-loop-share.ts), 4 exports and 8 searches still
// tripled the ratings' p99. In a thread of their own, with their own connection, they only cost the
// main thread a message per page or chunk. The worker's thread also runs at a lower priority.
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../error-codes.ts';
import { type ErrorDetail, HttpError } from '../http-errors.ts';
import type { ReviewFilters } from '../store/store.ts';
import type { AgencyReads, ExportFormat, ListOptions } from './agency-reads.ts';
import type { ReviewListing } from './review-listing.ts';

export interface ReadWorkerData {
  databasePath: string;
  databaseUrl?: string | undefined;
}

export type ToWorker =
  | { type: 'list'; id: number; procedureId: string; filters: ReviewFilters; options: ListOptions }
  | { type: 'export'; id: number; format: ExportFormat; procedureId: string; filters: ReviewFilters }
  | { type: 'more' | 'cancel'; id: number }
  | { type: 'close'; id: 0 };

interface WorkerError {
  statusCode?: number;
  code?: ErrorCode;
  message: string;
  details?: ErrorDetail[] | undefined;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; value: ReviewListing }
  | { type: 'chunk'; id: number; bytes: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'error'; id: number; error: WorkerError };

const errorFrom = ({ statusCode, code, message, details }: WorkerError): Error =>
  statusCode !== undefined && code !== undefined ? new HttpError(statusCode, code, message, details) : new Error(message);

/** What a request under way waits for: a listing's answer, or an export's chunks. */
type Pending = { thread: Worker } & (
  | { kind: 'list'; resolve: (listing: ReviewListing) => void; reject: (error: Error) => void }
  | { kind: 'export'; body: Readable }
);

/**
 * Starts the worker (`script`: dist/read-worker.js, the build of read-worker.ts) on the same
 * database. A worker that dies fails what it had under way (503) and is started again for the next read.
 */
export function workerReads(script: URL, data: ReadWorkerData): AgencyReads {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  /** Fails what a thread that stopped had under way; a new thread's requests are not its. */
  const fail = (thread: Worker, error: Error) => {
    for (const [id, request] of pending) {
      if (request.thread !== thread) continue;
      pending.delete(id);
      if (request.kind === 'list') request.reject(error);
      else request.body.destroy(error);
    }
  };

  const started = (): Worker => {
    if (worker) return worker;
    const thread = new Worker(script, { workerData: data });
    // The collector's process ends when its server closes, whether or not this thread is still there.
    thread.unref();
    thread.on('message', (message: FromWorker) => {
      if (message.type === 'ready') return;
      const request = pending.get(message.id);
      if (!request) return;
      if (message.type === 'result' && request.kind === 'list') {
        pending.delete(message.id);
        request.resolve(message.value);
      } else if (message.type === 'error') {
        pending.delete(message.id);
        const error = errorFrom(message.error);
        if (request.kind === 'list') request.reject(error);
        else request.body.destroy(error);
      } else if (message.type === 'chunk' && request.kind === 'export') {
        // Taken by the client's socket as fast as it reads: one more chunk may come for each taken.
        if (request.body.push(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.length))) {
          thread.postMessage({ type: 'more', id: message.id } satisfies ToWorker);
        } else {
          owed.set(message.id, (owed.get(message.id) ?? 0) + 1);
        }
      } else if (message.type === 'end' && request.kind === 'export') {
        pending.delete(message.id);
        request.body.push(null);
      }
    });
    let gone = false;
    const lost = (cause: unknown) => {
      // 'error' is followed by 'exit': once is enough.
      if (gone) return;
      gone = true;
      if (worker === thread) worker = undefined;
      fail(thread, new HttpError(503, 'storage_unavailable', 'The database is unavailable: try again in a moment.'));
      if (cause instanceof Error) process.emitWarning(`read worker stopped: ${cause.message}`);
    };
    thread.on('error', lost);
    thread.on('exit', lost);
    worker = thread;
    return thread;
  };
  /** Credits held back while the reply's buffer was full, given when the socket asks for more. */
  const owed = new Map<number, number>();

  // Started with the server, so that the first export does not wait for the thread and its connection.
  started();

  return {
    list: (procedureId, filters, options) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const thread = started();
        pending.set(id, { thread, kind: 'list', resolve, reject });
        thread.postMessage({ type: 'list', id, procedureId, filters, options } satisfies ToWorker);
      }),
    exportBody: async (format, procedureId, filters) => {
      const id = nextId++;
      const thread = started();
      const body = new Readable({
        read() {
          const credits = owed.get(id) ?? 0;
          owed.delete(id);
          for (let i = 0; i < credits; i++) thread.postMessage({ type: 'more', id } satisfies ToWorker);
        },
        destroy(error, callback) {
          // The client went away (or the worker failed): the worker stops reading for it.
          if (pending.delete(id)) thread.postMessage({ type: 'cancel', id } satisfies ToWorker);
          owed.delete(id);
          callback(error);
        },
      });
      pending.set(id, { thread, kind: 'export', body });
      thread.postMessage({ type: 'export', id, format, procedureId, filters } satisfies ToWorker);
      return body;
    },
    close: async () => {
      const thread = worker;
      worker = undefined;
      if (!thread) return;
      const exited = new Promise((resolve) => thread.once('exit', resolve));
      thread.postMessage({ type: 'close', id: 0 } satisfies ToWorker);
      // A worker stuck on a query is not waited for long: the process is ending.
      const timeout = setTimeout(() => void thread.terminate(), 5_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
