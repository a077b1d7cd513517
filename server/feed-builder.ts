import { createHash } from 'node:crypto';
import { procedureFeed, type Feed, type FeedProcedure } from '../shared/feed.ts';
import { monthsOf, resolveWindow, utcDay, type FeedWindow } from '../shared/feed-window.ts';
import { feedMethod } from '../shared/indicators.ts';
import type { ProcedureVersion, Store } from './store/store.ts';

// Builds the feed of SPEC §6 from rollups, and remembers it (targets of npm run bench:feed: warm p95 ≤ 20 ms, cold ≤ 250 ms
// at 10 M reviews). Every request reads each procedure's rollup version (one row per procedure),
// which is bumped in the transaction of every write: so a new review shows at the very next
// request, only the procedures that changed are recomputed, and the ETag, a hash of those versions,
// changes exactly when the published data does.

export interface FeedRequest {
  window: FeedWindow;
  /** Procedure ids to keep; all when absent. */
  procedures?: readonly string[] | undefined;
  entity?: string | undefined;
  placement?: string | undefined;
}

export interface BuiltFeed {
  etag: string;
  feed: Feed;
  /** The feed as JSON text, exactly JSON.stringify(feed), reusing each unchanged procedure's text. */
  json: () => string;
  /** Serialised representations, made once per data version and kept with it. */
  representations: Map<string, Buffer>;
}

interface CachedProcedure {
  version: number;
  entry: FeedProcedure;
  /** Its JSON text, made on first use: after one review, only that procedure is serialised again. */
  json?: string;
}

/** Windows whose per-procedure entries are kept, and whole feeds kept (a feed is ~1 KB per procedure). */
const WINDOW_CACHE_SIZE = 8;
const FEED_CACHE_SIZE = 16;

export class FeedBuilder {
  private readonly byWindow = new Map<string, Map<string, CachedProcedure>>();
  private readonly feeds = new Map<string, BuiltFeed>();
  /** While the store's change marker stays the same, the versions and each request's ETag stay valid. */
  private seen:
    | { marker: string; versions: ProcedureVersion[]; etags: Map<string, { etag: string; selected: ProcedureVersion[] }> }
    | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: {
      minReviews: number;
      now: () => Date;
      /** Told how each request was answered: from the cache, computed, or not modified (metrics). */
      onCache?: ((result: 'hit' | 'miss' | 'not_modified') => void) | undefined;
    },
  ) {}

  /**
   * The procedures a request selects, in id order. A list (no `procedures` asked for by id) leaves
   * out those never rated (version 0, see isListed): its size and its ETag do not move when an
   * entity registers procedures that nobody rates. After `jdma rollups rebuild` every procedure has
   * a version; isListed still leaves out those without reviews, they are only computed once more.
   */
  select(request: FeedRequest, versions: readonly ProcedureVersion[]): ProcedureVersion[] {
    const wanted = request.procedures && new Set(request.procedures);
    return versions.filter(
      (p) =>
        (wanted ? wanted.has(p.id) : p.version > 0) &&
        (request.entity === undefined || p.entityId === request.entity || p.entity === request.entity),
    );
  }

  /** Ids of `request.procedures` that no procedure has. */
  async unknownProcedures(request: FeedRequest): Promise<string[]> {
    if (!request.procedures) return [];
    const known = new Set((await this.versions()).map((p) => p.id));
    return [...new Set(request.procedures)].filter((id) => !known.has(id));
  }

  /**
   * The feed for a request, or only its ETag when `isFresh(etag)` says the client already has it.
   * Versions are read before counts, so a body is never older than its ETag says: at worst it holds
   * a rating more, and its client fetches again once for nothing.
   */
  async build(request: FeedRequest, isFresh: (etag: string) => boolean = () => false): Promise<{ etag: string; built?: BuiltFeed }> {
    const { etag, selected } = await this.identify(request);
    if (isFresh(etag)) {
      this.options.onCache?.('not_modified');
      return { etag };
    }
    const cached = this.feeds.get(etag);
    if (cached) {
      this.options.onCache?.('hit');
      touch(this.feeds, etag, cached);
      return { etag, built: cached };
    }
    this.options.onCache?.('miss');
    const { feed, entries } = await this.compute(request, selected);
    const json = () =>
      `{"generated_at":${JSON.stringify(feed.generated_at)},"window":${JSON.stringify(feed.window)},` +
      `"method":${JSON.stringify(feed.method)},"procedures":[${entries.map((e) => (e.json ??= JSON.stringify(e.entry))).join(',')}]}`;
    const built: BuiltFeed = { etag, feed, json, representations: new Map() };
    remember(this.feeds, etag, built, FEED_CACHE_SIZE);
    return { etag, built };
  }

  /**
   * Computes every procedure of the full feed over `window` ahead of the first request, a slice at a
   * time so that reviews keep being accepted meanwhile (better-sqlite3 blocks while it reads). Run at
   * start and just after each UTC midnight, when the default window moves and every entry is stale.
   */
  async warm(window: FeedWindow, stopped: () => boolean, sliceSize = 25): Promise<void> {
    const versions = this.select({ window }, await this.versions());
    for (let start = 0; start < versions.length; start += sliceSize) {
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped()) return;
      await this.compute({ window }, versions.slice(start, start + sliceSize));
    }
  }

  /** Every procedure's version, read again only when something was written since the last read. */
  private async versions(): Promise<ProcedureVersion[]> {
    const marker = await this.store.rollups.changeMarker();
    if (this.seen?.marker !== marker) {
      this.seen = { marker, versions: await this.store.rollups.procedureVersions(), etags: new Map() };
    }
    return this.seen.versions;
  }

  /** The request's procedures and ETag; both stay valid until something is written. */
  private async identify(request: FeedRequest): Promise<{ etag: string; selected: ProcedureVersion[] }> {
    const versions = await this.versions();
    const key = JSON.stringify([request.window, request.procedures, request.entity, request.placement]);
    let known = this.seen!.etags.get(key);
    if (!known) {
      const selected = this.select(request, versions);
      known = { etag: this.etagOf(request, selected), selected };
      remember(this.seen!.etags, key, known, FEED_CACHE_SIZE * 4);
    }
    return known;
  }

  private etagOf(request: FeedRequest, selected: readonly ProcedureVersion[]): string {
    const hash = createHash('sha256');
    // A list leaves out procedures without reviews in the window, the same procedures asked for by
    // id do not (isListed): the two feeds differ, so do their ETags.
    hash.update(`${this.options.minReviews}\n${request.window.from}\n${request.window.to}\n${request.placement ?? ''}\n`);
    hash.update(request.procedures ? 'by id\n' : 'list\n');
    for (const p of selected) hash.update(`${p.id}\u0000${p.title}\u0000${p.entity}\u0000${p.version}\n`);
    return `"${hash.digest('base64url').slice(0, 27)}"`;
  }

  private async compute(request: FeedRequest, selected: readonly ProcedureVersion[]): Promise<{ feed: Feed; entries: CachedProcedure[] }> {
    const { window } = request;
    const now = this.options.now();
    const today = utcDay(now);
    const windowKey = `${request.placement ?? ''}|${window.from}|${window.to}`;
    // The default window (what dashboards and /observatoire ask for) is never evicted: a client
    // cycling through custom windows can only push out other custom windows.
    const defaultWindow = resolveWindow({}, today) as FeedWindow;
    const pinned = `|${defaultWindow.from}|${defaultWindow.to}`;
    let entries = this.byWindow.get(windowKey);
    if (entries) touch(this.byWindow, windowKey, entries);
    else remember(this.byWindow, windowKey, (entries = new Map()), WINDOW_CACHE_SIZE, pinned);

    const months = monthsOf(window);
    const used: CachedProcedure[] = [];
    for (const p of selected) {
      let cached = entries.get(p.id);
      if (!cached || cached.version !== p.version) {
        const counts = await this.store.rollups.monthCounts(p.id, window, request.placement ?? null, today);
        cached = { version: p.version, entry: procedureFeed(p, months, counts, this.options.minReviews) };
        entries.set(p.id, cached);
      }
      // A renamed procedure (title or entity) keeps its counts, not its cached text.
      if (cached.entry.title !== p.title || cached.entry.entity !== p.entity) {
        cached = { version: p.version, entry: { ...cached.entry, title: p.title, entity: p.entity } };
        entries.set(p.id, cached);
      }
      if (isListed(request, cached.entry)) used.push(cached);
    }
    const feed: Feed = {
      generated_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      window: { from: window.from, to: window.to },
      method: feedMethod(this.options.minReviews),
      procedures: used.map((c) => c.entry),
    };
    return { feed, entries: used };
  }
}

/**
 * Whether a procedure is in the feed: one asked for by id always is (an agency checks its
 * integration); in a list, only one with at least a review in the window (and placement). The
 * feed, its CSV and /observatoire are public and anonymous: without this, one entity's thousands
 * of empty procedures made /observatoire 5.4 MB and 1.4–3.4 s a request (SPEC §6).
 */
function isListed(request: FeedRequest, entry: FeedProcedure): boolean {
  return request.procedures !== undefined || entry.reviews > 0;
}

function touch<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
}

function remember<K, V>(map: Map<K, V>, key: K, value: V, size: number, pinned?: K): void {
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= size) break;
    if (oldest !== pinned) map.delete(oldest);
  }
}
