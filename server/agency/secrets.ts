import { createHash, randomBytes } from 'node:crypto';

// API keys, login-link tokens and session ids are 256 random bits; the database keeps only their
// SHA-256 (SPEC §8), enough for secrets this long: no salt or slow hash is needed against guessing.

/** A new secret: `prefix` then 32 random bytes in base64url (43 characters). */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** What the database stores, and looks a presented secret up by. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Every API key starts with this, so that a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'jdma_';
