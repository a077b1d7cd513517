import { createHash, randomBytes } from 'node:crypto';

/** A new secret: 256 random bits, base64url, after an optional prefix (`jdma_` for API keys). */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** What is stored of a secret (API key, session cookie, login link): its SHA-256, never the secret. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
