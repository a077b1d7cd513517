// The one-click unsubscribe link's token (RFC 8058): it names the member, the kind of mail and, for
// a new-review alert, the procedure, signed with the database's key (collector_secrets), so that
// every collector on one database accepts the links the others wrote, and nobody can forge one for
// another member or another kind. It does not expire: a mail read months later must still stop.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PreferenceKind } from '../store/store.ts';

/** The mails a member may choose, and leave by the link each of them carries. */
export const PREFERENCE_KINDS: readonly PreferenceKind[] = ['new_reviews', 'integration_broken', 'level_change', 'digest'];

export interface UnsubscribeTarget {
  entityId: string;
  email: string;
  kind: PreferenceKind;
  /** '' unless the kind is new_reviews. */
  procedureId: string;
}

const signatureOf = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export function unsubscribeToken(key: Buffer, target: UnsubscribeTarget): string {
  const payload = Buffer.from(JSON.stringify([target.entityId, target.email, target.kind, target.procedureId])).toString('base64url');
  return `${payload}.${signatureOf(key, payload)}`;
}

/** The target the token names, or undefined when it is malformed or its signature is not ours. */
export function verifyUnsubscribeToken(key: Buffer, token: unknown): UnsubscribeTarget | undefined {
  if (typeof token !== 'string' || token.length > 2000) return undefined;
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = Buffer.from(signatureOf(key, payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 4 || !fields.every((field) => typeof field === 'string')) return undefined;
  const [entityId, email, kind, procedureId] = fields as string[];
  if (!PREFERENCE_KINDS.includes(kind as PreferenceKind)) return undefined;
  return { entityId: entityId!, email: email!, kind: kind as PreferenceKind, procedureId: procedureId! };
}
