// The storage interface: what routes, services, the feed builder and the command line may ask of
// the database, whatever the engine (SQLite in one process, PostgreSQL for several collectors).
// Every method returns a promise; nothing outside server/store/ sees a driver, a handle or SQL.
import type { MonthCount } from '../../shared/feed.ts';
import type { FeedWindow } from '../../shared/feed-window.ts';
import type { LabelPath, OptionalStep } from '../../shared/form-config.ts';
import type { ProblemKind } from '../../shared/problem-report.ts';
import type {
  AdminChannel,
  FollowUpAnswers,
  HelpChannel,
  WidgetLang,
  ReachedAnswer,
  SatisfactionAnswer,
  ScaleValue,
} from '../../shared/questionnaire.ts';
import type { TermOccurrence } from '../terms.ts';

export interface Procedure {
  id: string;
  title: string;
  /** The owning entity's id (a slug); `entity` is its name, as the feed publishes it. */
  entityId: string;
  entity: string;
  origins: string[];
  placements: string[];
  /** The placements marked test: the reviews they get are stored, listed and never counted (SPEC §2). */
  testPlacements: string[];
  /** When it was archived (ISO time), or null: an archived procedure takes no rating and leaves the feed. */
  archivedAt: string | null;
  /**
   * Its number for the JDMA drop-in: assigned from 1,000,000 up at creation, or the JDMA product id
   * (1 to 999,999) an agency recorded, so that a pipeline's list of JDMA products works unchanged.
   */
  productId: number;
}

export interface ProcedureSummary extends Procedure {
  reviews: number;
}

export interface NewProcedure {
  id: string;
  title: string;
  /** An existing entity's id: UnknownEntityError otherwise. */
  entityId: string;
  origins: readonly string[];
  placements?: readonly string[];
  /**
   * The most procedures its entity may have (archived ones included): EntityFullError when it has
   * them already. Counted and inserted as one step, so that two requests at once cannot both pass.
   */
  maxInEntity?: number;
}

/**
 * What every rating checks (procedure, archive, origin, placement), answered from memory. A
 * snapshot is current within a second of any change, made by this process, another collector or
 * the command line.
 */
export interface ProcedureAccess {
  exists(procedureId: string): boolean;
  isArchived(procedureId: string): boolean;
  isOriginAllowed(procedureId: string, origin: string): boolean;
  hasPlacement(procedureId: string, placementId: string): boolean;
}

export interface ProcedureRepository {
  /** Registers a procedure with its origins; every procedure has the `default` placement. UnknownEntityError for an unknown entity. */
  add(procedure: NewProcedure): Promise<void>;
  /** These say whether they changed anything: false when it was already (or not) there. */
  addOrigin(procedureId: string, origin: string): Promise<boolean>;
  removeOrigin(procedureId: string, origin: string): Promise<boolean>;
  addPlacement(procedureId: string, placementId: string): Promise<boolean>;
  /** Past reviews keep the placement they were given: it is their history, not a reference. */
  removePlacement(procedureId: string, placementId: string): Promise<boolean>;
  /** Marks a placement test (or not) for the reviews to come; false when it already was (or was not), or is not the procedure's. */
  setPlacementTest(procedureId: string, placementId: string, test: boolean): Promise<boolean>;
  /** Changes the title and the owning entity (UnknownEntityError for an unknown one). */
  rename(procedureId: string, title: string, entityId: string): Promise<boolean>;
  /** Archives (or restores) a procedure; false when it already was (or was not) archived. */
  setArchived(procedureId: string, archived: boolean): Promise<boolean>;
  find(procedureId: string): Promise<Procedure | undefined>;
  list(): Promise<ProcedureSummary[]>;
  /** How many procedures the entity has, archived ones included (MAX_PROCEDURES_PER_ENTITY). */
  countOf(entityId: string): Promise<number>;
  /** Hot ratings since this UTC day (YYYY-MM-DD), from the daily rollups. */
  reviewsSince(procedureId: string, day: string): Promise<number>;
  access(): Promise<ProcedureAccess>;
  /** A procedure's product number (the JDMA drop-in, SPEC §6), undefined for an unknown procedure. */
  productIdOf(procedureId: string): Promise<number | undefined>;
  /** The procedure a product number names, archived ones included. */
  byProductId(productId: number): Promise<string | undefined>;
  /** Records a JDMA product id as the procedure's number; ProductIdTakenError when another procedure has it. */
  setProductId(procedureId: string, productId: number): Promise<boolean>;
}

export interface NewReview {
  procedureId: string;
  placementId: string;
  satisfaction: SatisfactionAnswer;
  lang: WidgetLang;
  tokenHash: Buffer;
  createdAt: Date;
  /** The form version the rater was shown (SPEC §3 "Customisation"); null: the default form. */
  formVersion?: number | null;
}

/** What a follow-up needs of its review. */
export interface ReviewKey {
  id: number;
  procedureId: string;
  lang: WidgetLang;
  tokenHash: Buffer;
  /** ms since epoch. */
  createdAt: number;
}

export interface ReviewRepository {
  /**
   * Stores a hot rating and counts it in the rollups; resolves with its id once committed. Ratings
   * arriving together share one transaction (group commit): a reply never precedes its commit.
   */
  create(review: NewReview): Promise<number>;
  findKey(id: number): Promise<ReviewKey | undefined>;
  /**
   * Replaces a review's earlier follow-up answers with these, moving their rollup counts, in one
   * transaction. `suspects` are the spans of the free text held back for an admin to check (SPEC §8).
   */
  replaceFollowUps(id: number, answers: FollowUpAnswers, at: Date, suspects?: readonly SuspectSpan[]): Promise<void>;
  /**
   * Erases the free text of reviews rated before `freeTextBefore`, and the token hashes of reviews
   * rated before `tokensBefore` (ms since epoch). Answers, counts and indicators are untouched.
   * Returns how many reviews lost each.
   */
  purge(freeTextBefore: number, tokensBefore: number): Promise<{ freeText: number; tokens: number }>;
  /**
   * A page of a procedure's reviews, newest first (UTC day, then id). Keyset pagination: a review
   * keeps its place whatever is inserted meanwhile, so paging shows none twice and skips none.
   * With filters, at most `scan` reviews are examined per page (bounded time, SPEC §8): the page may
   * then hold fewer than `limit` reviews and still have a `next` cursor.
   */
  page(
    procedureId: string,
    filters: ReviewFilters,
    page: { after: ReviewCursor | null; limit: number; scan?: number },
  ): Promise<ReviewPage>;
  /** Every matching review, newest first, in keyset batches: bounded memory, one short query per batch. */
  batches(procedureId: string, filters: ReviewFilters, batchSize?: number): AsyncIterable<ReviewRecord[]>;
  /**
   * Hides a review's free text (`hidden`), or shows it again (null). Its answers keep counting.
   * undefined when the procedure has no such review; `changed` false when it already was so.
   */
  setHidden(
    procedureId: string,
    reviewId: number,
    hidden: { reason: string; by: string; at: Date } | null,
  ): Promise<{ review: ReviewRecord; changed: boolean } | undefined>;
  /**
   * Rewrites a review's free text and held-back spans with what `settle` makes of them, in one
   * transaction (review-records.ts settleSpan); undefined when the procedure has no such review,
   * `changed` false when `settle` returned undefined (then nothing is written).
   */
  settleSuspect(
    procedureId: string,
    reviewId: number,
    settle: (held: HeldText) => HeldText | undefined,
  ): Promise<{ review: ReviewRecord; changed: boolean } | undefined>;
  /**
   * Changes one triage mark of a review (its status, spam, a duplicate's verdict, one tag). Counts
   * and indicators never change. undefined when the procedure has no such review; `changed` false
   * when it already was so (or, for a verdict, when the review is not flagged as a duplicate).
   */
  triage(procedureId: string, reviewId: number, change: TriageChange): Promise<{ review: ReviewRecord; changed: boolean } | undefined>;
  /**
   * The folded free text (search_text) of the procedure's earlier reviews (smaller ids) rated from `fromDay`, newest
   * first, at most `limit`: what a new comment is compared with to find a duplicate.
   */
  duplicateCandidates(procedureId: string, reviewId: number, fromDay: string, limit: number): Promise<DuplicateCandidate[]>;
  /**
   * Stores the review's text signature, and flags it as a duplicate of `of` (or unflags it, null)
   * unless a member already confirmed or cleared it: a verdict is never undone by a machine.
   */
  flagDuplicate(reviewId: number, of: number | null, signature: Buffer | null): Promise<void>;
  /** How many of the procedure's reviews rated in the window are marked spam, and flagged or confirmed duplicates. */
  markedCounts(procedureId: string, from: string, to: string): Promise<MarkedCounts>;
}

/** An earlier review a new comment is compared with: its folded text, and that text's MinHash (null before it was stored). */
export interface DuplicateCandidate {
  id: number;
  text: string;
  signature: Buffer | null;
}

/** Triage status of a review (SPEC §8): « nouveau », « lu », « traité ». */
export const TRIAGE_STATUSES = ['new', 'seen', 'handled'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

/** One change of triage, as a member asks for it. */
export type TriageChange =
  | { status: TriageStatus }
  | { spam: { by: string; at: number } | null }
  | { duplicate: 'confirmed' | 'cleared' }
  | { tagId: number; on: boolean };

export interface MarkedCounts {
  spam: number;
  duplicates: number;
}

/** An entity's tag, free text chosen by its admins. */
export interface Tag {
  id: number;
  name: string;
  /** Reviews it is set on. */
  reviews: number;
}

/** A quarterly edition's figures as published once (SPEC §6 "Editions"): its files are stored bytes, never recomputed. */
export interface Edition {
  /** `2026-Q3`. */
  quarter: string;
  windowFrom: string;
  windowTo: string;
  methodVersion: number;
  minReviews: number;
  /** ms since epoch. */
  publishedAt: number;
  json: Buffer;
  csv: Buffer;
  /** The same figures in the long format of the impact schema (etalab/schema-impact-service-public-numerique). */
  impactCsv: Buffer;
}

export type EditionSummary = Omit<Edition, 'json' | 'csv' | 'impactCsv'> & {
  /** Each file's SHA-256 (hex) and size in bytes. */
  files: Record<'json' | 'csv' | 'impactCsv', { sha256: string; bytes: number }>;
};

export interface EditionRepository {
  /** Stores an edition unless its quarter already has one: false then, and nothing is changed. */
  add(edition: Edition): Promise<boolean>;
  /** Every edition, oldest quarter first, without its files' bytes. */
  list(): Promise<EditionSummary[]>;
  find(quarter: string): Promise<Edition | undefined>;
}

export interface TagRepository {
  /** undefined when the entity already has a tag of that name. */
  add(entityId: string, name: string, at: number): Promise<Tag | undefined>;
  /** 'missing' when the entity has no such tag, 'taken' when another has that name. */
  rename(entityId: string, tagId: number, name: string): Promise<'renamed' | 'missing' | 'taken'>;
  /** Deletes the tag and unsets it from every review; false when the entity has no such tag. */
  remove(entityId: string, tagId: number): Promise<boolean>;
  /** By name. */
  list(entityId: string): Promise<Tag[]>;
  /**
   * The entity's reviews whose tags a member confirmed, oldest first, with their counted terms
   * (review_terms): every tagged review, and those triaged « lu » or « traité » without a tag; never
   * a hidden or spam one, nor one whose terms are not counted (yet, or any more).
   */
  confirmed(entityId: string): Promise<{ terms: string[]; tagIds: number[] }[]>;
  /** Stores the entity's suggestion model (tag-model.ts, as JSON), replacing the last; null removes it. */
  saveModel(entityId: string, model: string | null, at: number): Promise<void>;
  /** The entity's suggestion model as stored, undefined when none. */
  model(entityId: string): Promise<string | undefined>;
}

/**
 * A span of free text that may be personal data and is kept as written until an admin checks it:
 * `n` names it for good (1, 2, … per review), offsets are into the stored field.
 */
export interface SuspectSpan {
  n: number;
  field: 'comment' | 'help_other';
  start: number;
  end: number;
  category: string;
}

/** A review's free text as stored, with its held-back spans: what checking one span reads and rewrites. */
export interface HeldText {
  lang: WidgetLang;
  comment: string | null;
  helpOther: string | null;
  suspects: SuspectSpan[];
}

/** A held-back span as an agency's admin checks it: its own text, which lists and exports show masked. */
export interface ReviewSuspect {
  n: number;
  field: SuspectSpan['field'];
  category: string;
  text: string;
}

/** Which reviews a listing or an export takes. */
export interface ReviewFilters {
  /** UTC days, inclusive. */
  from: string;
  to: string;
  placementId: string | null;
  satisfaction: SatisfactionAnswer | null;
  /** Whether a comment was written (a hidden one counts as written). */
  hasComment: boolean | null;
  /** Accent- and case-insensitive search in the free text; hidden text is never searched. */
  q: string | null;
  status?: TriageStatus | null;
  tagId?: number | null;
  /**
   * Spam and duplicates (flagged or confirmed): left out of lists by default ('hide'), listed with
   * the others ('show'), or alone ('only'). Counts never leave them out.
   */
  marked?: 'hide' | 'show' | 'only';
}

/** A review's place in the listing order. */
export interface ReviewCursor {
  day: string;
  id: number;
}

/** Every answer of a review, shaped as the wire's (SPEC §3, §6); null where it was not answered. */
export interface ReviewAnswers {
  satisfaction: SatisfactionAnswer;
  clarity: ScaleValue | null;
  help_sought: HelpChannel[] | null;
  help_reached: Partial<Record<AdminChannel, ReachedAnswer>> | null;
  help_quality: Partial<Record<AdminChannel, ScaleValue>> | null;
}

export interface ReviewRecord {
  id: number;
  /** ms since epoch. */
  createdAt: number;
  day: string;
  placementId: string;
  /** Given on a test placement: listed and exported, never counted (SPEC §2). */
  test: boolean;
  lang: WidgetLang;
  answers: ReviewAnswers;
  /** The published form version the review was given (SPEC §3 "Customisation"); null: the default form. */
  formVersion: number | null;
  /** Free text; null when not written, erased by retention, or hidden. */
  comment: string | null;
  helpOther: string | null;
  hidden: { reason: string; at: number; by: string } | null;
  /** Spans of the free text are held back (shown masked); counts and indicators are unaffected. */
  piiSuspected: boolean;
  /** The held-back spans; empty when the text is hidden. */
  suspects: ReviewSuspect[];
  status: TriageStatus;
  /** By name. */
  tags: { id: number; name: string }[];
  spam: { at: number; by: string } | null;
  /** The earlier review it repeats: flagged on arrival, then confirmed or cleared by a member. */
  duplicate: { of: number; state: 'flagged' | 'confirmed' | 'cleared' } | null;
}

export interface ReviewPage {
  reviews: ReviewRecord[];
  next: ReviewCursor | null;
}

export interface ProcedureVersion {
  id: string;
  title: string;
  entityId: string;
  /** The entity's name, as the feed publishes it. */
  entity: string;
  /** Bumped by every write that touches the procedure's rollups. */
  version: number;
}

/** One rollup figure of a period (YYYY-MM-DD or YYYY-MM) and placement. */
export interface PeriodCount {
  period: string;
  placementId: string;
  question: string;
  answer: string;
  count: number;
}

export interface RollupRepository {
  /**
   * Changes whenever anything may have been written, by anyone. Equal markers mean nothing was
   * written in between, so procedureVersions() need not be read again.
   */
  changeMarker(): Promise<string>;
  /** Every procedure that is not archived, with its rollup version, by id. */
  procedureVersions(): Promise<ProcedureVersion[]>;
  /** One procedure's counts per month over a window (days outside it excluded), from rollups only. */
  monthCounts(procedureId: string, window: FeedWindow, placementId: string | null, today: string): Promise<MonthCount[]>;
  /**
   * One procedure's counts over a window per period (UTC day, or month) and placement, from rollups
   * only; every placement when `placementId` is null.
   */
  periodCounts(
    procedureId: string,
    window: FeedWindow,
    placementId: string | null,
    grain: 'day' | 'month',
    today: string,
  ): Promise<PeriodCount[]>;
  /** One procedure's reviews per UTC day (its satisfaction answers, every placement), days in order, none with 0. */
  reviewDays(procedureId: string): Promise<{ day: string; reviews: number }[]>;
  /**
   * Recomputes every rollup from the reviews (`jdma rollups rebuild`), one short transaction per
   * procedure and day (then per month), so that ratings go on being written, and counted once.
   */
  rebuild(): Promise<void>;
}

/** A review whose terms await counting (store.ts TermRepository), with what its count is filed under. */
export interface PendingTerms {
  reviewId: number;
  /** Raised each time the review is queued again: counting an older text does not take it off. */
  queueVersion: number;
  procedureId: string;
  placementId: string;
  day: string;
  satisfaction: SatisfactionAnswer;
  lang: WidgetLang;
  /** ms since epoch. */
  createdAt: number;
  /** The stored comment, null once erased; the held-back spans of its review. */
  comment: string | null;
  suspects: SuspectSpan[];
}

/** How many reviews wrote a term in one form, with one satisfaction answer, over a window. */
/**
 * The term of a folded month's row (monthly_term_rollups) that holds, instead of a term's count, the
 * most reviews of the month any term left out of it wrote: a bound on what a term missing there
 * wrote. Never a term (terms.ts keeps letters and digits only).
 */
export const UNSEEN = '*';

export interface TermCount {
  /** The grouping key (terms.ts); '' counts the reviews whose terms were read; UNSEEN, see there. */
  readonly term: string;
  readonly form: string;
  readonly satisfaction: SatisfactionAnswer;
  /** Read only: a collector keeps these rows between reads (folded-term-cache.ts). */
  readonly count: number;
}

/** The term rollups of comment insights (SPEC §8): counted off the request path, kept after the purge. */
export interface TermRepository {
  /** Up to `limit` queued reviews, oldest first. */
  pending(limit: number): Promise<PendingTerms[]>;
  /**
   * In one transaction: each review's terms counted in place of those it was counted under before
   * (none, or an earlier comment's), and the review taken off the queue; a review queued again
   * since it was read, or counted meanwhile by another collector, is left as it is.
   */
  count(reviews: readonly { review: PendingTerms; terms: readonly TermOccurrence[] }[]): Promise<void>;
  /**
   * The counts of a procedure's terms over windows of UTC days and a placement (every one when
   * null), per window only for terms that at least its `minReviews` reviews wrote in it; the '' and
   * UNSEEN rows always. A term may come in several rows of one form and answer: their sum is its
   * count. What windows share (the current month's day rows) is read once.
   */
  counts(
    procedureId: string,
    windows: readonly { window: FeedWindow; minReviews: number }[],
    placementId: string | null,
  ): Promise<TermCount[][]>;
  /**
   * `jdma rollups rebuild`: from UTC day `from` on (days the purge has not reached), deletes the
   * term counts and what each review was counted under, and queues every review with a comment, in
   * one transaction; returns how many, and the day it started from: the first of the next month when
   * `from` cuts a folded month or a month to date (their days cannot be told apart). Earlier days keep
   * their counts: their text is gone.
   */
  requeue(from: string): Promise<{ from: string; queued: number }>;
  /**
   * Deletes the counts, on days before `before`, of terms fewer than `minReviews` reviews of their
   * procedure wrote in all: a rare word (a name the scrubber missed) leaves with the free text it
   * came from. Only terms written on days from `since` on are looked at (the hourly purge: the last
   * week, which the line has just crossed). Returns how many rows went.
   */
  prune(since: string, before: string, minReviews: number): Promise<number>;
  /**
   * Folds the counts of the days before `today`. Those of closed months go into monthly rows, a
   * month of a procedure at a time: for each placement × satisfaction, the `keep` terms most reviews
   * wrote in the month, among those at least `minReviews` reviews wrote in it, and the '' rows; the
   * other terms' counts of the month are dropped. Those of today's month are summed, every term,
   * into its month-to-date rows (day 'YYYY-MM-00'), and term_month_marks says up to which day.
   * Returns how many day rows went.
   */
  fold(today: string, keep: number, minReviews: number): Promise<number>;
}

/**
 * The key under which refused attempts are counted together when their origin or placement may not
 * have a row of its own (not a real origin or placement, or past the day's limit of distinct ones):
 * shown as « autres origines » / "other origins". Neither an origin nor a slug can be `*`.
 */
export const OTHER_KEY = '*';

/** How many rating attempts one (procedure, day, reason, origin, placement) had refused. */
export interface RefusalCount {
  /** '' when the attempt names no registered procedure (except `unknown_procedure`, whose id is the one tried). */
  procedureId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** The error code the page was told (origin_not_allowed, unknown_placement…). */
  reason: string;
  /** The page's origin; '' when the request carried none (the hosted form, scripts); OTHER_KEY for the others. */
  origin: string;
  /** '' for a follow-up; OTHER_KEY for the others. */
  placementId: string;
  count: number;
}

export interface RefusedRatingRepository {
  /**
   * Adds counts and forgets the days before `keepFrom`, in one transaction. Whoever sends a request
   * chooses its ids and origin, so each gets a row of its own only within `maxKeys` a day
   * (refusal-bounds.ts), the rest counted under OTHER_KEY or ''.
   */
  add(counts: readonly RefusalCount[], keepFrom: string, maxKeys: number): Promise<void>;
  /** A procedure's refused attempts since a UTC day, summed per reason, origin and placement, most first. */
  since(procedureId: string, day: string): Promise<Omit<RefusalCount, 'procedureId' | 'day'>[]>;
  /** A procedure's refused attempts since a UTC day, one row per day, reason, origin and placement, newest day first. */
  perDay(procedureId: string, day: string): Promise<Omit<RefusalCount, 'procedureId'>[]>;
  /**
   * Attempts under an unknown procedure id sent from these origins since a UTC day, summed per id
   * tried and origin, most first (procedureId '' sums the ids past the day's limit).
   */
  triedFrom(origins: readonly string[], day: string): Promise<{ procedureId: string; origin: string; count: number }[]>;
}

// ---- Agency access (SPEC §8): entities, members, API keys, sessions, one-time login links, audit.

export interface Entity {
  id: string;
  name: string;
}

export type MemberRole = 'admin' | 'reader';

export interface Member {
  entityId: string;
  /** Lower-cased. */
  email: string;
  role: MemberRole;
  createdAt: string;
}

/** An entity's logo for its hosted pages, as uploaded and checked (agency/entity-logo.ts). */
export interface EntityLogo {
  contentType: 'image/png' | 'image/jpeg';
  bytes: Buffer;
  /** The SHA-256 of the bytes, hex: the ETag it is served with. */
  etag: string;
  /** ms since epoch. */
  updatedAt: number;
}

export interface EntityRepository {
  /** False when the id is already taken. */
  add(entity: Entity): Promise<boolean>;
  find(id: string): Promise<Entity | undefined>;
  list(): Promise<Entity[]>;
  logo(entityId: string): Promise<EntityLogo | undefined>;
  /** Sets the entity's logo, replacing the one before. */
  setLogo(entityId: string, logo: EntityLogo): Promise<void>;
  /** False when the entity had none. */
  removeLogo(entityId: string): Promise<boolean>;
}

export interface MemberRepository {
  /** Adds the member, or changes their role; false when they already had this role. */
  put(member: Omit<Member, 'createdAt'>): Promise<boolean>;
  remove(entityId: string, email: string): Promise<boolean>;
  list(entityId: string): Promise<Member[]>;
  /** Every entity this address belongs to (by id), with its role there: read at each request of a session. */
  rolesOf(email: string): Promise<Map<string, MemberRole>>;
  /** The language this address chose for the mails it receives; undefined when it chose none, or is no member. */
  langOf(email: string): Promise<'fr' | 'en' | undefined>;
  /** Sets it for the address in every entity it belongs to (a mail goes to an address); false when it is no member. */
  setLang(email: string, lang: 'fr' | 'en'): Promise<boolean>;
  /** Every address that chose a language, with it: one read for a run of thousands of mails (digests). */
  langs(): Promise<Map<string, 'fr' | 'en'>>;
}

export interface ApiKey {
  id: number;
  entityId: string;
  name: string;
  /** null: every procedure of the entity. */
  procedureIds: string[] | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface ApiKeyRepository {
  /** Stores the key's hash (never the key); false when the entity already has a live key of that name. */
  add(key: { entityId: string; name: string; hash: Buffer; procedureIds: readonly string[] | null }): Promise<boolean>;
  /**
   * The live (not revoked) key with this hash. Its last use is set to `at` when the stored one is
   * a minute older or more: a key used for every request of a script writes once a minute, not each time.
   */
  use(hash: Buffer, at: Date): Promise<ApiKey | undefined>;
  list(entityId: string): Promise<ApiKey[]>;
  revoke(entityId: string, name: string, at: Date): Promise<boolean>;
}

export interface Session {
  /** SHA-256 of the cookie's secret; the secret itself is never stored. */
  idHash: Buffer;
  email: string;
  /** ms since epoch. */
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  find(idHash: Buffer): Promise<Session | undefined>;
  touch(idHash: Buffer, at: number): Promise<void>;
  remove(idHash: Buffer): Promise<void>;
  /** Deletes every session of this address (lower-cased), whatever its entities: the number deleted. */
  removeAllOf(email: string): Promise<number>;
  /** Forgets sessions idle since `idleBefore` or started before `startedBefore` (ms since epoch). */
  purge(idleBefore: number, startedBefore: number): Promise<number>;
}

export interface LoginLinkRepository {
  create(link: { tokenHash: Buffer; email: string; expiresAt: number }): Promise<void>;
  /**
   * Marks the link used and returns its address, when it exists, is unused and unexpired at `at`:
   * one conditional UPDATE, so a link opens one session even when two collectors race for it.
   */
  consume(tokenHash: Buffer, at: number): Promise<string | undefined>;
  /** Forgets links used, or expired at `at` (ms since epoch). */
  purge(at: number): Promise<number>;
}

export interface AuditEntry {
  id: number;
  /** null for the operator's actions outside any entity. */
  entityId: string | null;
  /** ms since epoch. */
  at: number;
  /** The member's address, `key:<name>`, or `operator` (the command line). */
  actor: string;
  /** login, logout, key_created, key_revoked, export, review_hidden, review_restored, suspect_confirmed, suspect_released, review_status, review_spam, review_not_spam, duplicate_confirmed, duplicate_cleared, review_tagged, review_untagged, tag_created, tag_renamed, tag_deleted, procedure_*, member_*. */
  action: string;
  /** What it was done to: a procedure id, an address, a key name, a review id. */
  target: string;
  details: Record<string, unknown>;
  /** How many identical events this entry stands for (AUDIT_REPEAT_MS): 12 empty exports in a loop are one entry, ×12. */
  count: number;
}

/**
 * An event identical to an entry of the last minute (same entity, actor, action, target and
 * details) adds to that entry's count instead of a row: a script repeating a request cannot grow
 * the log by one row per request. Counted from the entry's first event, so a loop that lasts an
 * hour is still one row a minute, each with its own time.
 */
export const AUDIT_REPEAT_MS = 60_000;

export interface AuditRepository {
  /** Adds an entry, or counts it in an identical one of the last AUDIT_REPEAT_MS. */
  add(entry: Omit<AuditEntry, 'id' | 'count'>): Promise<void>;
  /** Newest first; `before` is the id of the last entry of the previous page. */
  list(entityId: string, page: { before?: number | undefined; limit: number }): Promise<AuditEntry[]>;
  /** Forgets entries older than `before` (ms since epoch). */
  purge(before: number): Promise<number>;
}

/** What every collector on one database must agree on for the hosted form (SPEC §5). */
export interface HostedFormRepository {
  /** The key this database's collectors sign render times with: made once, by the migration. */
  signingKey(): Promise<Buffer>;
  /**
   * Records a posted form's one-time key; false when it was already recorded, by this collector or
   * another: one conditional INSERT, so two collectors racing for the same key count it once.
   */
  claim(formKey: string, renderedAt: number): Promise<boolean>;
  /** Forgets a key whose rating was not stored after all, so that sending the form again counts. */
  release(formKey: string): Promise<void>;
  /** Forgets the keys of forms rendered before `before` (ms since epoch), which no longer verify. */
  purge(before: number): Promise<number>;
}

/** What a mail is about: each kind has its template (server/mail/mail-templates.ts). */
export type MailKind = 'login_link' | 'invitation' | 'test' | 'access_request' | 'access_answer' | PreferenceKind;
export type MailStatus = 'queued' | 'sent' | 'failed';

/** A mail as rendered when it is queued: the sender only delivers it. */
export interface NewMail {
  recipient: string;
  kind: MailKind;
  lang: 'fr' | 'en';
  subject: string;
  text: string;
  html: string;
  /** Kept across retries, so that a receiving server can tell a mail sent twice (a lease that expired) is one. */
  messageId: string;
  /** The one-click unsubscribe address (RFC 8058) of a mail a member may stop: alerts and digests. */
  listUnsubscribe?: string | null | undefined;
  /** Unique among queued and kept mails: a second mail with the same key is not queued (an alert, a digest of a period). */
  dedupeKey?: string | undefined;
}

export interface ClaimedMail extends NewMail {
  id: number;
  createdAt: number;
  /** Attempts so far, this one included. */
  attempts: number;
}

/** A row of the outbox as `jdma mail list` shows it: never its body, which holds a sign-in link until sent. */
export interface MailRecord {
  id: number;
  recipient: string;
  kind: MailKind;
  subject: string;
  status: MailStatus;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  sentAt: number | null;
  lastError: string | null;
}

/**
 * The outbox: one row per mail, kept after it is sent (without its body). A sender claims due rows by
 * pushing their next attempt one lease ahead in the same statement: a collector that dies while
 * sending leaves rows that fall due again when the lease ends, and on PostgreSQL two collectors
 * never claim the same row (FOR UPDATE SKIP LOCKED).
 */
export interface MailRepository {
  /** The new row's id; 0 when a mail with the same `dedupeKey` is already there (nothing queued). */
  add(mail: NewMail, at: number): Promise<number>;
  /** Up to `limit` rows due at `at`, each now leased until `at + leaseMs`. */
  claim(at: number, leaseMs: number, limit: number): Promise<ClaimedMail[]>;
  /** Sent: the body (a sign-in link) is erased. */
  markSent(id: number, at: number): Promise<void>;
  /**
   * Failed this time: due again at `at`. `attempts` is the claim's own count, its holder token: a
   * sender whose lease lapsed while another claimed the row again changes nothing (the row is the
   * other's now, and its next attempt is the other's to set).
   */
  retryAt(id: number, attempts: number, at: number, error: string): Promise<void>;
  /** Failed for good: the body is erased, the error kept. Only by the claim holding `attempts`, as retryAt. */
  giveUp(id: number, attempts: number, error: string): Promise<void>;
  /** Newest first. */
  list(filter: { status?: MailStatus | undefined; limit: number }): Promise<MailRecord[]>;
  countQueued(): Promise<number>;
  /** Forgets sent and given-up mails queued before `before` (ms since epoch); queued ones stay. */
  purge(before: number): Promise<number>;
  /** Mails of this kind queued for this address since `since` (ms since epoch): the per-address limit. */
  countRecent(recipient: string, kind: MailKind, since: number): Promise<number>;
}

/** A form's changes (SPEC §3 "Customisation"): the steps it hides, and its labels per language and path. */
export interface FormChanges {
  hidden: OptionalStep[];
  labels: Partial<Record<WidgetLang, Record<LabelPath, string>>>;
}

export interface FormDraft {
  changes: FormChanges;
  /** ms since epoch, and who: a member's address or `operator`. */
  updatedAt: number;
  updatedBy: string;
}

export interface FormVersion {
  version: number;
  changes: FormChanges;
  publishedAt: number;
  publishedBy: string;
  /** null while it is the one published. */
  archivedAt: number | null;
}

export interface FormRepository {
  draft(procedureId: string): Promise<FormDraft | undefined>;
  saveDraft(procedureId: string, draft: FormDraft): Promise<void>;
  /**
   * Publishes the draft as the next version, archiving the one published before, in one
   * transaction; its number, or undefined when the procedure has no draft.
   */
  publish(procedureId: string, by: string, at: number): Promise<number | undefined>;
  /** Archives the published version (the default form is served again); its number, or undefined when none was. */
  archive(procedureId: string, at: number): Promise<number | undefined>;
  /** Every version, newest first. */
  versions(procedureId: string): Promise<FormVersion[]>;
  published(procedureId: string): Promise<FormVersion | undefined>;
  /** Whether the procedure ever published this version (archived ones included). */
  hasVersion(procedureId: string, version: number): Promise<boolean>;
}

export type AccessRequestStatus = 'pending' | 'accepted' | 'refused';

/** An agent's request to join an entity, from the sign-in page (SPEC §8). */
export interface AccessRequest {
  id: number;
  entityId: string;
  /** Lower-cased. */
  email: string;
  status: AccessRequestStatus;
  /** ms since epoch. */
  createdAt: number;
  decidedAt: number | null;
  /** The admin who accepted or refused it. */
  decidedBy: string | null;
  /** The language of the form it was sent from: the answer's, unless the agent chose one as a member. */
  lang: 'fr' | 'en';
}

export interface AccessRequestRepository {
  /** Records a pending request; undefined when this address already has one pending for this entity. */
  add(request: { entityId: string; email: string; at: number; lang: 'fr' | 'en' }): Promise<number | undefined>;
  /** The entity's pending requests, oldest first. */
  pending(entityId: string): Promise<AccessRequest[]>;
  /**
   * Decides a pending request of this entity: one conditional UPDATE, so two admins deciding at once
   * decide it once. The request as decided, or undefined when the entity has no such pending request.
   */
  decide(entityId: string, id: number, status: 'accepted' | 'refused', by: string, at: number): Promise<AccessRequest | undefined>;
  /** Requests this address made since `since` (ms since epoch), whatever became of them: the per-address limit. */
  countRecent(email: string, since: number): Promise<number>;
  /** Forgets decided requests older than `before` (ms since epoch); pending ones stay. */
  purge(before: number): Promise<number>;
}

/** The mails a member may choose to get (README "Mail"); the others (sign-in, invitation) are always sent. */
export type PreferenceKind = 'new_reviews' | 'integration_broken' | 'level_change' | 'digest';

/**
 * One choice of a member (an address in an entity): `on` or `off` for an alert, the frequency for
 * the digest. `procedureId` names the procedure of a new-review alert, '' for the other kinds.
 */
export interface MailPreference {
  entityId: string;
  email: string;
  kind: PreferenceKind;
  procedureId: string;
  value: string;
}

/** New reviews of one procedure, by id range: what the alert job reads, never a review's text. */
export interface NewReviews {
  procedureId: string;
  count: number;
  firstId: number;
  lastId: number;
  /** ms since epoch. */
  firstAt: number;
  lastAt: number;
}

/** What the preferences page, the unsubscribe link and the alert and digest jobs store. */
export interface NotificationRepository {
  preferencesOf(entityId: string, email: string): Promise<MailPreference[]>;
  /** Every member's choices, for the jobs: a few rows per member. */
  allPreferences(): Promise<MailPreference[]>;
  /** Stores these choices (each replacing the one of its key); resolves with how many changed. */
  setPreferences(rows: readonly MailPreference[]): Promise<number>;
  /** The key unsubscribe links are signed with: made once, by the migration. */
  signingKey(): Promise<Buffer>;
  /**
   * Takes the job's lease until `at + leaseMs` when no collector holds it, in one statement:
   * resolves with the job's state (JSON), or undefined when another holds it.
   */
  claimJob(name: string, at: number, leaseMs: number): Promise<string | undefined>;
  /** Stores the job's new state and ends its lease. */
  releaseJob(name: string, state: string): Promise<void>;
  /** The newest review's id, 0 when there is none. */
  lastReviewId(): Promise<number>;
  /** Reviews with an id above `afterId`, per procedure; test placements' reviews left out (SPEC §2: never counted). */
  newReviews(afterId: number): Promise<NewReviews[]>;
  /** A procedure's reviews with ids in [fromId, toId] (test placements' left out), and how many of them have a comment. */
  reviewCounts(procedureId: string, fromId: number, toId: number): Promise<{ reviews: number; comments: number }>;
  /** Every procedure's refused rating attempts of a UTC day, per reason and origin. */
  refusalsOn(day: string): Promise<{ procedureId: string; reason: string; origin: string; placementId: string; count: number }[]>;
}

/** A report sent through the problem form (SPEC §3 "Signaler un problème"): never a review, never in satisfaction. */
export interface NewProblemReport {
  procedureId: string;
  placementId: string;
  kind: ProblemKind;
  /** Scrubbed; null for « my own situation », which takes none. */
  text: string | null;
  lang: WidgetLang;
  createdAt: Date;
}

export interface ProblemReport {
  id: number;
  procedureId: string;
  placementId: string;
  kind: ProblemKind;
  text: string | null;
  lang: WidgetLang;
  /** ms since epoch. */
  createdAt: number;
  /** UTC day, YYYY-MM-DD. */
  day: string;
}

export interface ProblemReportRepository {
  /** The new report's id, once committed. */
  add(report: NewProblemReport): Promise<number>;
  /** A procedure's reports of the UTC days [from, to], newest first, at most `limit`. */
  list(procedureId: string, from: string, to: string, limit: number): Promise<ProblemReport[]>;
  /** How many reports of each kind the procedure got on the UTC days [from, to] (kinds with none are absent). */
  countsByKind(procedureId: string, from: string, to: string): Promise<Partial<Record<ProblemKind, number>>>;
  /** The page « my own situation » sends people to, or null when the agency set none. */
  contactUrl(procedureId: string): Promise<string | null>;
  /** Sets (or, with null, removes) that page; whether it changed. */
  setContactUrl(procedureId: string, url: string | null): Promise<boolean>;
  /** Erases the text of reports made before `before` (ms since epoch), as comments' after the retention; how many. */
  purgeText(before: number): Promise<number>;
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  readonly forms: FormRepository;
  readonly procedures: ProcedureRepository;
  readonly reviews: ReviewRepository;
  readonly entities: EntityRepository;
  readonly members: MemberRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly sessions: SessionRepository;
  readonly loginLinks: LoginLinkRepository;
  readonly audit: AuditRepository;
  /** The feed's counts; reviews keeps them current in its own transactions. */
  readonly rollups: RollupRepository;
  /** The term counts of comment insights; reviews queues them, term-counting.ts counts them. */
  readonly terms: TermRepository;
  /** The integration health: refused rating attempts per procedure, day, reason and origin. */
  readonly refusedRatings: RefusedRatingRepository;
  readonly hostedForms: HostedFormRepository;
  readonly mails: MailRepository;
  readonly accessRequests: AccessRequestRepository;
  readonly notifications: NotificationRepository;
  readonly tags: TagRepository;
  /** Quarterly editions of the feed, frozen once published. */
  readonly editions: EditionRepository;
  readonly problemReports: ProblemReportRepository;
  /** Resolves when the database answers; rejects (StorageUnavailableError) when it does not. */
  ping(): Promise<void>;
  /** Waits for writes under way, then closes. */
  close(): Promise<void>;
}

/** A procedure was given an entity id that no entity has (`jdma entity add` creates it). */
export class EntityFullError extends Error {
  constructor(
    readonly entityId: string,
    readonly max: number,
  ) {
    super(`entity "${entityId}" already has ${max} procedures`);
  }
}

export class UnknownEntityError extends Error {
  constructor(readonly entityId: string) {
    super(`no entity "${entityId}"`);
  }
}

/** The product number asked for is another procedure's. */
export class ProductIdTakenError extends Error {
  constructor(readonly productId: number) {
    super(`product id ${productId} is taken`);
  }
}

/** The database cannot be reached: the request gets 503 `storage_unavailable`, and may be retried. */
export class StorageUnavailableError extends Error {}

/** The database was migrated by a newer collector: this one does not know its tables, and must not write. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`database schema version ${found} is newer than this collector (${known})`);
  }
}
