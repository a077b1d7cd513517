import { z } from 'zod';

// The only module that reads process.env (STYLE rule 3). A bad value stops start-up with one line.
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('./data/jdma.sqlite'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  FEED_MIN_REVIEWS: z.coerce.number().int().min(1).default(100),
  // Off by default. `true` trusts every proxy, otherwise a comma-separated list of proxy addresses or
  // CIDR ranges (Fastify's trustProxy).
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/, 'expected true, false, or proxy addresses/CIDRs separated by commas')
    .default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Who answers users' questions about their data (the /confidentialite page): an e-mail address or a web page.
  OPERATOR_CONTACT: z.union([z.email(), z.url({ protocol: /^https?$/ })], 'expected an e-mail address or an http(s) URL').optional(),
});

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  /** Where agencies and browsers reach the collector; its origin may always post (hosted form, demo). */
  publicUrl: string;
  /** Hot ratings accepted per client and minute; 0 turns the limit off (benchmarks). */
  rateLimitPerMinute: number;
  logLevel: string;
  /** Which proxies' X-Forwarded-For to believe for the client's address (rate limits). */
  trustProxy: boolean | string;
  /** SPEC §4 publication threshold: below this many reviews in the window, the feed publishes no score. */
  feedMinReviews: number;
  /** The operator's contact for privacy questions: an e-mail address or an http(s) URL; unset until the operator sets it. */
  operatorContact: string | undefined;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const hostInUrl = e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    publicUrl: (e.PUBLIC_URL ?? `http://${hostInUrl}:${e.PORT}`).replace(/\/+$/, ''),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
    feedMinReviews: e.FEED_MIN_REVIEWS,
    operatorContact: e.OPERATOR_CONTACT,
    trustProxy: e.TRUST_PROXY === 'true' ? true : e.TRUST_PROXY === 'false' ? false : e.TRUST_PROXY,
  };
}

/** Defaults for tests and embedders: the same shape, no environment read. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), databasePath: ':memory:', logLevel: 'silent', ...overrides };
}
