// An entity's logo on its hosted pages (SPEC §3): what an admin uploads is checked by its bytes
// (a PNG or JPEG signature, at most LOGO_MAX_BYTES), never by the type the browser declares,
// stored in the database, and audited. The space calls these; the collector serves the result.
import { createHash } from 'node:crypto';
import { HttpError } from '../http-errors.ts';
import type { EntityLogo, Store } from '../store/store.ts';
import type { Actor } from './access.ts';
import type { AuditTrail } from './audit-trail.ts';

/** 100 kB: a header logo needs far less, and every hosted page's visitor downloads it. */
export const LOGO_MAX_BYTES = 100_000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

/** The image's type by its first bytes; undefined when it is neither a PNG nor a JPEG. */
export function logoType(bytes: Buffer): EntityLogo['contentType'] | undefined {
  if (bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE)) return 'image/jpeg';
  return undefined;
}

/** Checks and stores the logo (audited as `entity_logo_set`); 400 `logo_missing`, 413 `logo_too_large`, 415 `logo_type_unsupported`, nothing stored. */
export async function setEntityLogo(
  store: Store,
  audit: AuditTrail,
  actor: Actor,
  entityId: string,
  bytes: Buffer | undefined,
  now: () => Date,
) {
  if (!bytes || bytes.length === 0) throw new HttpError(400, 'logo_missing', 'Choose a PNG or JPEG file to upload.');
  if (bytes.length > LOGO_MAX_BYTES) throw new HttpError(413, 'logo_too_large', `A logo may be ${LOGO_MAX_BYTES} bytes at most.`);
  const contentType = logoType(bytes);
  if (!contentType) throw new HttpError(415, 'logo_type_unsupported', 'A logo is a PNG or a JPEG file.');
  const etag = createHash('sha256').update(bytes).digest('hex');
  await store.entities.setLogo(entityId, { contentType, bytes, etag, updatedAt: now().getTime() });
  await audit(actor, entityId, 'entity_logo_set', entityId, { type: contentType, bytes: bytes.length });
}

/** Removes the logo (audited as `entity_logo_removed` when there was one); false when there was none. */
export async function removeEntityLogo(store: Store, audit: AuditTrail, actor: Actor, entityId: string): Promise<boolean> {
  const removed = await store.entities.removeLogo(entityId);
  if (removed) await audit(actor, entityId, 'entity_logo_removed', entityId);
  return removed;
}
