import { createHmac, randomBytes } from 'node:crypto';

// SPEC §7: where a per-client key is needed, a keyed hash with a salt that rotates daily and is
// then forgotten. The salt lives only in memory: yesterday's keys cannot be recomputed by anyone.
let salt = { day: '', key: Buffer.alloc(0) };

export function clientKey(address: string, at: Date = new Date()): string {
  const day = at.toISOString().slice(0, 10);
  if (salt.day !== day) salt = { day, key: randomBytes(32) };
  return createHmac('sha256', salt.key).update(address).digest('base64url').slice(0, 22);
}
