/**
 * Terms the cache holds at most, over all its entries, each entry counting one more (an empty one
 * too, so that empty entries cannot pile up): the month to date of a procedure of a million reviews a
 * year holds about 15,000 terms and 30,000 rows (npm run bench:insights), some 5 MB of heap; this
 * bound is about 30 MB.
 */
const CACHE_TERMS = 100_000;

/**
 * The summed rows of a procedure's folded term parts (its month to date, its folded months), kept
 * between reads of comment insights: reading them was most of a read's time (35 to 60 ms at a million
 * reviews), yet they change only when the hourly fold runs, a rebuild or prune deletes, or a review
 * of a day already summed into the month to date is counted again. Each of those writes raises the
 * procedure's term version (term_versions) in its own transaction, and every read takes that version
 * with its parts, in one snapshot: an entry is found only under the version it was read at, so that
 * a collector never serves what another one changed since. Folded months are kept under the months'
 * own version (term_versions.months_version), which only writes to them raise: the daily fold of the
 * month to date does not send them back to the database. The least recently used entries go first
 * past CACHE_TERMS terms.
 */
export class FoldedTermCache {
  readonly #entries = new Map<string, { version: string; value: Promise<{ size: number }>; size: number }>();
  #size = 0;

  constructor(private readonly maxTerms = CACHE_TERMS) {}

  /**
   * The entry under `key` (a map of terms) as of `version`, read once by `read` when missing or held
   * under another version (concurrent reads of it wait for the same one). An entry of another
   * version goes at once: no read asks for it again, and keeping it until the bound pushed it out
   * held tens of megabytes of dead entries that every garbage collection walked.
   */
  get<T extends { size: number }>(key: string, version: string, read: () => Promise<T>): Promise<T> {
    const found = this.#entries.get(key);
    if (found) {
      this.#entries.delete(key);
      if (found.version === version) {
        this.#entries.set(key, found);
        return found.value as Promise<T>;
      }
      this.#size -= found.size;
    }
    const value = read();
    const entry = { version, value: value as Promise<{ size: number }>, size: 0 };
    this.#entries.set(key, entry);
    value.then(
      (read) => {
        if (this.#entries.get(key) !== entry) return;
        entry.size = read.size + 1;
        this.#size += entry.size;
        for (const [oldest, { size }] of this.#entries) {
          if (this.#size <= this.maxTerms) break;
          this.#entries.delete(oldest);
          this.#size -= size;
        }
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return value;
  }

  /** Terms held, and one per entry: what the bound counts (for tests). */
  get terms(): number {
    return this.#size;
  }
}
