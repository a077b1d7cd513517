// What every command group of `jdma` shares: its context, the refusal it throws, the way it prints
// a stored text, and the checks of its arguments. A group reads and writes through the services
// of server/agency/ where the API and the space have one, and turns their refusals into one line.
import { DAY_MS } from '../../shared/feed-window.ts';
import { SLUG_PATTERN } from '../../shared/questionnaire.ts';
import { type AuditTrail, auditTrail } from '../agency/audit-trail.ts';
import type { Config } from '../config.ts';
import { ERROR_CODES } from '../error-codes.ts';
import { HttpError } from '../http-errors.ts';
import { CONTROL_CHARACTER } from '../schemas/text-fields.ts';
import type { MemberRole, Procedure, Store } from '../store/store.ts';

/** A mistake of the operator: one line on stderr, exit status 2, nothing written. */
export class UsageError extends Error {}

/** The options `jdma` reads (node:util parseArgs); each group takes the ones it knows. */
export interface CliValues {
  title?: string | undefined;
  entity?: string | undefined;
  origin?: string[] | undefined;
  placement?: string[] | undefined;
  name?: string | undefined;
  role?: string | undefined;
  procedure?: string[] | undefined;
  reason?: string | undefined;
  json?: boolean | undefined;
  demo?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
  send?: boolean | undefined;
  failed?: boolean | undefined;
  lang?: string | undefined;
}

export interface CliContext {
  /** The words after the group's name: `procedure add alpha` has sub `add` and rest `['alpha']`. */
  sub: string | undefined;
  rest: string[];
  values: CliValues;
  config: Config;
  /** The store, opened on first use and closed by the dispatcher. */
  store: () => Promise<Store>;
}

export type CommandGroup = (context: CliContext) => Promise<void>;

export const unknownCommand = (words: readonly (string | undefined)[]) =>
  new UsageError(`commande inconnue « ${words.filter((w) => w !== undefined).join(' ')} » (voir : jdma --help).`);

/** The services' own audit trail: what the operator changes is written with the actor `operator`. */
export const operatorAudit = (store: Store): AuditTrail => auditTrail(store, () => new Date());

/** The operator's changes that no service makes (entities, login links), as the entity's admins read them in the audit log. */
export const auditAsOperator = (
  store: Store,
  entityId: string | null,
  action: string,
  target: string,
  details: Record<string, unknown> = {},
) => store.audit.add({ entityId, at: Date.now(), actor: 'operator', action, target, details });

/**
 * Runs a service's change; its refusal becomes one line that starts with the code's label from the
 * error-codes registry and its code (the one the API answers and the space names), then what the
 * operator can do, when `details` says it for that code.
 */
export async function refusedAs<T>(change: Promise<T>, details: Partial<Record<string, string>> = {}): Promise<T> {
  try {
    return await change;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const detail = details[error.code];
    throw new UsageError(`${ERROR_CODES[error.code].fr} (${error.code})${detail ? ` : ${detail}` : ''}.`);
  }
}

const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'gu');
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A stored text as the terminal shows it: each control character written as an escape (\n, \t,
 * \x1b, \u{202e}), so that no title, name or origin can move the cursor, recolour or clear the
 * operator's terminal, reorder a line, or break a list's one line per row. The API refuses them
 * now, but rows stored before, or by another route, may still hold some.
 */
export function printable(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => {
    const code = c.charCodeAt(0);
    return NAMED_ESCAPES[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
  });
}

/** A line of output whose interpolated values are printable(); the template's own tabs stay tabs. */
export const shown = (parts: TemplateStringsArray, ...values: unknown[]): string =>
  parts.reduce((line, part, i) => line + printable(String(values[i - 1])) + part);

/** JSON for the terminal: JSON.stringify escapes the C0 controls in strings; DEL, C1, separators and bidi controls too. */
export const json = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(/[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });

/** Arguments with a control character are refused before anything is read or written: they would be stored as typed. */
export function refuseControlCharacters(args: readonly string[]): void {
  const wrong = args.find((arg) => CONTROL_CHARACTER.test(arg));
  if (wrong !== undefined) {
    throw new UsageError(
      `argument refusé « ${printable(wrong)} » : il contient un caractère de contrôle (saut de ligne, tabulation, échappement…) ou de direction du texte.`,
    );
  }
}

export function slugArg(value: string | undefined, what: string): string {
  if (value === undefined) throw new UsageError(`${what} manquant (voir : jdma --help).`);
  if (!SLUG_PATTERN.test(value)) {
    throw new UsageError(`${what} invalide « ${value} » : minuscules, chiffres et tirets, de 2 à 64 caractères.`);
  }
  return value;
}

/** An allowed origin is scheme://host[:port], nothing more (SPEC §2). */
export function parseOrigin(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {}
  const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if (!url || !bare || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`origine invalide « ${value} » : attendu http(s)://hôte[:port], sans chemin.`);
  }
  return url.origin;
}

// Listening on every interface says nothing of the address that pages and e-mails must name.
const WILDCARD_HOSTS = ['0.0.0.0', '::'];
export const PUBLIC_URL_NEEDED =
  'PUBLIC_URL doit être défini : avec HOST=0.0.0.0, le collecteur ne sait pas à quelle adresse les pages le joignent (ex. PUBLIC_URL=https://avis.example.gouv.fr).';
export const publicUrlUnknown = (config: Config): boolean => !config.publicUrlSet && WILDCARD_HOSTS.includes(config.host);

export const daysAgo = (days: number): string => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

export const unknownEntity = (id: string) =>
  new UsageError(`entité inconnue « ${id} » : créez-la d’abord (jdma entity add ${id} --name <nom>) ; voir : jdma entity list.`);

/** The entity an option or argument names by id; an unknown one says how to create it. */
export async function requireEntity(store: Store, value: string | undefined, what = 'identifiant d’entité'): Promise<string> {
  if (value === undefined) throw new UsageError(`${what} manquant (voir : jdma --help).`);
  const id = value.trim();
  // Not a slug: most likely an entity's name, as procedures took before entities had ids.
  if (!SLUG_PATTERN.test(id)) {
    throw new UsageError(
      `« ${id} » n’est pas un identifiant d’entité (voir : jdma entity list) ; pour en créer une : jdma entity add <id> --name "${id}".`,
    );
  }
  if (!(await store.entities.find(id))) throw unknownEntity(id);
  return id;
}

/** The procedure an argument names; a mistyped data-procedure shows up here, so say how many ratings it cost. */
export async function requireProcedure(store: Store, id: string): Promise<Procedure> {
  const procedure = await store.procedures.find(id);
  if (procedure) return procedure;
  const refused = (await store.refusedRatings.since(id, daysAgo(30))).reduce((total, row) => total + row.count, 0);
  const lost = refused > 0 ? ` ; ${refused} note(s) refusée(s) sous cet identifiant en 30 jours` : '';
  throw new UsageError(`démarche inconnue « ${id} »${lost} (voir : jdma procedure list).`);
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function emailArg(value: string | undefined): string {
  if (value === undefined) throw new UsageError('adresse électronique manquante (voir : jdma --help).');
  if (!EMAIL_PATTERN.test(value) || value.length > 254) throw new UsageError(`adresse électronique invalide « ${value} ».`);
  return value.toLowerCase();
}

export function langArg(value: string | undefined): 'fr' | 'en' {
  if (value === undefined || value === 'fr' || value === 'en') return value ?? 'fr';
  throw new UsageError(`langue invalide « ${value} » : fr ou en.`);
}

export const ROLES: Record<MemberRole, string> = { admin: 'administrateur', reader: 'lecteur' };
export function roleArg(value: string | undefined): MemberRole {
  if (value === undefined) throw new UsageError('--role est obligatoire : admin ou reader.');
  if (value !== 'admin' && value !== 'reader') throw new UsageError(`rôle invalide « ${value} » : admin ou reader.`);
  return value;
}

export function nameArg(value: string | undefined, option: string): string {
  const name = value?.trim();
  if (!name) throw new UsageError(`${option} est obligatoire.`);
  if (name.length > 200) throw new UsageError(`${option} : 200 caractères au plus.`);
  return name;
}

export const day = (iso: string | null) => iso?.slice(0, 10) ?? '';

/** No argument after the last one a command takes. */
export function noMore(args: readonly string[], from = 0): void {
  if (args.length > from) throw new UsageError(`argument en trop « ${args[from]} » (voir : jdma --help).`);
}

/** A mail not delivered yet is said on stderr, with exit status 1: a script sees that the SMTP server refused it. */
export function report({ sent, message }: { sent: boolean; message: string }): void {
  if (sent) {
    console.log(message);
    return;
  }
  console.error(`jdma : ${message}`);
  process.exitCode = 1;
}

/**
 * The arguments as the API's schema reads the same change: whatever the command's own checks let
 * through is held to the API's rules (lengths, lists without repeats), refused as `invalid_body`.
 */
export function validated<T>(schema: { safeParse: (value: unknown) => SafeParse<T> }, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')} : ` : '';
  throw new UsageError(`${ERROR_CODES.invalid_body.fr} (invalid_body) : ${where}${issue?.message ?? ''}.`);
}
type SafeParse<T> = { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
