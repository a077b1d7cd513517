import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { fr } from 'zod/locales';

/** TERM_MIN_REVIEWS's default: a term fewer reviews wrote is never shown, and leaves with their text. */
export const TERM_MIN_REVIEWS_DEFAULT = 5;

const FRENCH = fr();

const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'attendu une URL postgres://utilisateur:mot-de-passe@hôte:5432/base' });

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether an entry of TRUST_PROXY is one Fastify's trustProxy reads: an address, a CIDR range (a
 * prefix of 1 to 32 or 128 bits), or one of its named ranges. Checked here, so that a typo stops
 * start-up with one line rather than a stack trace from inside Fastify.
 */
function isProxyAddress(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.trim().split('/');
  if (['loopback', 'linklocal', 'uniquelocal'].includes(address) && prefix === undefined) return true;
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (family === 4 ? 32 : 128));
}

/** Whether the URL names this machine: the only place a provider may be reached over plain http (tests). */
export const isLoopbackUrl = (url: string): boolean => LOOPBACK_HOSTS.has(new URL(url).hostname);

// The only module that reads process.env. A bad value stops start-up with one line.
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('./data/jdma.sqlite'),
  // PostgreSQL, for several collectors on one database. Scalingo and Clever Cloud set the last two.
  DATABASE_URL: postgresUrl.optional(),
  SCALINGO_POSTGRESQL_URL: postgresUrl.optional(),
  POSTGRESQL_ADDON_URI: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  // Above what the busiest public access point gives one procedure in a day (README "Abuse").
  RATINGS_PER_CLIENT_PER_DAY: z.coerce.number().int().min(0).default(200),
  // Signs the hosted form's render times; collectors on one database share the key stored there
  // without it. 32 characters at least: the key of an HMAC-SHA-256.
  HOSTED_FORM_SECRET: z.string().min(32).optional(),
  AGENCY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  MAX_PROCEDURES_PER_ENTITY: z.coerce.number().int().min(1).default(200),
  // A bearer token guards /metrics; short tokens can be guessed, so 16 characters at least.
  METRICS_TOKEN: z.string().min(16).optional(),
  FEED_MIN_REVIEWS: z.coerce.number().int().min(1).default(100),
  FREE_TEXT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(730),
  TERM_MIN_REVIEWS: z.coerce.number().int().min(2).max(1000).default(TERM_MIN_REVIEWS_DEFAULT),
  // Exports (CSV, XLSX) one entity may have under way at once; past it, 429 export_busy.
  EXPORTS_PER_ENTITY: z.coerce.number().int().min(1).max(100).default(2),
  // Off by default: the client is the socket's address. A count of proxies, or their addresses or
  // CIDR ranges: the client is the address that many hops from the right of X-Forwarded-For, or the
  // rightmost one not in the list. `true` (every proxy) would let any client pick its own address.
  TRUST_PROXY: z
    .string()
    .default('false')
    .refine((value) => value.toLowerCase() !== 'true', {
      error:
        'refusé : chaque client pourrait choisir son adresse en forgeant X-Forwarded-For, et échapper aux limites ; indiquez le nombre de proxys devant le collecteur (1 derrière le routeur de Scalingo ou de Clever Cloud) ou leurs adresses/CIDR',
    })
    .refine((value) => /^(false|\d{1,2})$/.test(value) || value.split(',').every(isProxyAddress), {
      error: 'attendu false, un nombre de proxys (1, 2…) ou des adresses/CIDR de proxys séparées par des virgules',
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Who answers users' questions about their data (the /confidentialite page): an e-mail address or a web page.
  OPERATOR_CONTACT: z.union([z.email(), z.url({ protocol: /^https?$/ })], 'expected an e-mail address or an http(s) URL').optional(),
  // Members' sign-in with OpenID Connect (ProConnect): all three or none. http only on a loopback
  // address (a provider started by the tests); anywhere else the tokens would cross the network in clear.
  OIDC_ISSUER: z
    // abort: the loopback check below parses the URL, so it runs on valid ones only.
    .url({ protocol: /^https?$/, abort: true })
    .refine(
      (url) => url.startsWith('https:') || isLoopbackUrl(url),
      'attendu une URL https:// (http:// seulement sur 127.0.0.1, localhost ou [::1])',
    )
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  // Where mail goes (README "Mail"): smtp:// with STARTTLS (required unless the host is this
  // machine), smtps:// with TLS from the start. Unset: each mail is an .eml file in the data folder.
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'attendu une URL smtp://utilisateur:mot-de-passe@hôte:587 ou smtps://…@hôte:465' })
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'attendu une adresse (nom@domaine) ou « Nom <nom@domaine> »')
    .optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  // The mail domains whose agents may ask to join an entity from the sign-in page; unset: nobody may.
  SIGNUP_DOMAINS: z
    .string()
    .transform((value) => value.split(',').map((domain) => domain.trim().toLowerCase().replace(/^\./, '')))
    .pipe(
      z.array(
        z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
          error: 'attendu des noms de domaine séparés par des virgules, par exemple gouv.fr,interieur.gouv.fr',
        }),
      ),
    )
    .optional(),
  // Alerts to members (README "Mail"): the new-review window and its cap, in seconds, and the
  // thresholds of « intégration cassée » (fault refusals in an hour) and of a level change (reviews in 30 days).
  ALERT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  ALERT_MAX_SECONDS: z.coerce.number().int().min(1).max(604_800).default(7200),
  ALERT_BROKEN_MIN_REFUSALS: z.coerce.number().int().min(1).default(20),
  ALERT_LEVEL_MIN_REVIEWS: z.coerce.number().int().min(1).default(30),
});

const OIDC_VARIABLES = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

/** The OpenID Connect provider members sign in with (ProConnect, or any certified provider). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  /** PostgreSQL's URL: when set, the collector stores there instead of the SQLite file. */
  databaseUrl?: string | undefined;
  /** Connections the PostgreSQL engine may open. */
  databasePoolSize: number;
  /** Where agencies and browsers reach the collector; its origin may always post (hosted form, demo). */
  publicUrl: string;
  /** False when PUBLIC_URL is unset and publicUrl was guessed from HOST and PORT. */
  publicUrlSet: boolean;
  /**
   * The origins that are the collector itself: publicUrl's, and on a loopback address without
   * PUBLIC_URL both http://localhost:PORT and http://127.0.0.1:PORT, since a newcomer types either.
   */
  ownOrigins: string[];
  /**
   * Requests per client and minute to the hot-rating routes, and separately to the follow-up
   * routes; 0 turns both limits off (benchmarks).
   */
  rateLimitPerMinute: number;
  /** Ratings one client may give one procedure per UTC day; 0 turns the limit off. */
  ratingsPerClientPerDay: number;
  /** The key of the hosted form's signatures; undefined: the one stored in the database. */
  hostedFormSecret: string | undefined;
  /**
   * Requests per minute to the agency API and space, counted per API key, per session, and per
   * client for requests without either (sign-in pages); 0 turns the limit off.
   */
  agencyRateLimitPerMinute: number;
  /** Procedures one entity may have (archived ones included) when its admins create them; the operator's CLI may exceed it. */
  maxProceduresPerEntity: number;
  /** The bearer token of GET /metrics; undefined: the route does not exist. */
  metricsToken: string | undefined;
  logLevel: string;
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (rate limits): false, none
   * (the socket's address); a number, that many proxies in front (hops from the right); a string,
   * the proxies' addresses or CIDR ranges, comma-separated (the rightmost address not in them).
   */
  trustProxy: false | number | string;
  /** SPEC §4 publication threshold: below this many reviews in the window, the feed publishes no score. */
  feedMinReviews: number;
  /** Free text (comment, help_other) older than this many days is erased; counts and indicators stay. */
  freeTextRetentionDays: number;
  /** Comment insights show a term only once at least this many distinct reviews wrote it (SPEC §8). */
  termMinReviews: number;
  /** Exports one entity may have under way at once (each holds a database read for its whole length). */
  exportsPerEntity: number;
  /** The operator's contact for privacy questions: an e-mail address or an http(s) URL; unset until the operator sets it. */
  operatorContact: string | undefined;
  /** undefined: sign-in with OpenID Connect is off, and its routes do not exist. */
  oidc: OidcConfig | undefined;
  mail: MailConfig;
  /** Mail domains whose agents may ask to join an entity (each with its subdomains); empty: access requests are off. */
  signupDomains: string[];
  /** The alerts' window, cap (ms) and thresholds (server/jobs/alert-job.ts). */
  alerts: { windowMs: number; maxMs: number; brokenMinRefusals: number; levelMinReviews: number };
}

export interface MailConfig {
  /** undefined: no SMTP server; each mail is written as an .eml file in `directory`. */
  smtpUrl: string | undefined;
  /** The From header: MAIL_FROM, or a no-reply address at PUBLIC_URL's host. */
  from: string;
  /** Where mails are written without SMTP_URL: `mails/` beside the SQLite file (the data folder). */
  directory: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // In French, like every other message of the command line that reports it.
  // An empty variable (`PUBLIC_URL=` in a unit file or a PaaS console) means unset, as in most tools.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(set, { error: FRENCH.localeError });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const value = env[String(issue.path[0])];
    const name = issue.path.join('.') + (value === undefined ? '' : ` = « ${value} »`);
    throw new ConfigError(`configuration invalide : ${name} : ${issue.message}`);
  }
  const e = parsed.data;
  // Half a provider's settings is a mistake to report at start-up, not a sign-in that fails later.
  const oidcSet = OIDC_VARIABLES.filter((name) => e[name] !== undefined);
  if (oidcSet.length > 0 && oidcSet.length < OIDC_VARIABLES.length) {
    const missing = OIDC_VARIABLES.filter((name) => e[name] === undefined);
    throw new ConfigError(
      `configuration invalide : ${missing.join(', ')} : manquant (OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET vont ensemble)`,
    );
  }
  // A real SMTP server refuses or bins mail from an address its domain does not vouch for.
  if (e.SMTP_URL && !e.MAIL_FROM) {
    throw new ConfigError(
      'configuration invalide : MAIL_FROM : manquant (une adresse que le serveur SMTP accepte d’envoyer, avec SMTP_URL)',
    );
  }
  // A wildcard address (0.0.0.0, ::) is where the collector listens, not an address anyone can
  // reach it at: without PUBLIC_URL, its pages then name the loopback address.
  const host = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  const guessed = `http://${host.includes(':') ? `[${host}]` : host}:${e.PORT}`;
  const publicUrl = (e.PUBLIC_URL ?? guessed).replace(/\/+$/, '');
  const loopback = !e.PUBLIC_URL && ['127.0.0.1', 'localhost', '::1'].includes(host);
  const ownOrigins = loopback ? [`http://127.0.0.1:${e.PORT}`, `http://localhost:${e.PORT}`] : [];
  return {
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL ?? e.SCALINGO_POSTGRESQL_URL ?? e.POSTGRESQL_ADDON_URI,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    publicUrl,
    publicUrlSet: e.PUBLIC_URL !== undefined,
    ownOrigins: [...new Set([new URL(publicUrl).origin, ...ownOrigins])],
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    ratingsPerClientPerDay: e.RATINGS_PER_CLIENT_PER_DAY,
    hostedFormSecret: e.HOSTED_FORM_SECRET,
    agencyRateLimitPerMinute: e.AGENCY_RATE_LIMIT_PER_MINUTE,
    maxProceduresPerEntity: e.MAX_PROCEDURES_PER_ENTITY,
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    feedMinReviews: e.FEED_MIN_REVIEWS,
    freeTextRetentionDays: e.FREE_TEXT_RETENTION_DAYS,
    termMinReviews: e.TERM_MIN_REVIEWS,
    exportsPerEntity: e.EXPORTS_PER_ENTITY,
    operatorContact: e.OPERATOR_CONTACT,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET }
        : undefined,
    mail: {
      smtpUrl: e.SMTP_URL,
      from:
        e.MAIL_FROM ??
        `Je donne mon avis <ne-pas-repondre@${isIP(new URL(publicUrl).hostname.replace(/^\[|\]$/g, '')) ? 'localhost' : new URL(publicUrl).hostname}>`,
      directory: join(dirname(e.DATABASE_PATH), 'mails'),
    },
    signupDomains: [...new Set(e.SIGNUP_DOMAINS ?? [])],
    alerts: {
      windowMs: e.ALERT_WINDOW_SECONDS * 1000,
      maxMs: e.ALERT_MAX_SECONDS * 1000,
      brokenMinRefusals: e.ALERT_BROKEN_MIN_REFUSALS,
      levelMinReviews: e.ALERT_LEVEL_MIN_REVIEWS,
    },
    // A count is a number, so that nobody reads "1" as the address 0.0.0.1 (as Fastify would).
    trustProxy:
      e.TRUST_PROXY === 'false' || e.TRUST_PROXY === '0' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
  };
}

/**
 * The collector's address as this request reached it: the one it was typed with when that is one of
 * the collector's own origins (localhost or 127.0.0.1), otherwise PUBLIC_URL's. Pages built with it
 * load their scripts and styles from the origin the browser is on, which their CSP allows.
 */
export function collectorUrlFor(config: Config, request: { protocol: string; host: string }): string {
  const origin = `${request.protocol}://${request.host}`;
  return config.ownOrigins.includes(origin) ? origin : config.publicUrl;
}

/** Defaults for tests and embedders: the same shape, no environment read. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({});
  // Mails of a test without an SMTP server go to the system's temporary folder, not the repository's data/.
  return {
    ...base,
    databasePath: ':memory:',
    logLevel: 'silent',
    mail: { ...base.mail, directory: join(tmpdir(), 'jdma-test-mails') },
    ...overrides,
  };
}
