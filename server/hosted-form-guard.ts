import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Faster than this between showing the rating form and its POST, no person has read it. */
export const MIN_FORM_MS = 2000;

/** The field people never see nor reach, that form-filling scripts fill. */
export const HONEYPOT_FIELD = 'website';

/** Why a hosted rating form was refused as not sent by a person (counted in the integration health). */
export type FormRefusal = 'honeypot' | 'form_too_fast' | 'form_signature_invalid';

export interface SignedRender {
  renderedAt: number;
  signature: string;
}

export type HostedFormGuard = ReturnType<typeof hostedFormGuard>;

/**
 * A scripted client can post the hosted form as fast as it likes without ever loading it; the
 * CAPTCHA-free answer is to make every post prove that a page was rendered, and rendered long
 * enough ago for someone to have read it. The page carries its render time, signed with a key
 * that lives only in this process (generated at start, never stored or shown): a time cannot be
 * forged or moved back, and a signed form is bound to its one-time form key and its procedure.
 * After a restart, or on another instance, the signature no longer verifies: the person gets the
 * form again, freshly signed, and simply sends it once more.
 */
export function hostedFormGuard(now: () => Date) {
  const key = randomBytes(32);
  const mac = (procedureId: string, formKey: string, renderedAt: number): Buffer =>
    createHmac('sha256', key).update(`${procedureId}\n${formKey}\n${renderedAt}`).digest();

  return {
    /** The render time and its signature, for a form shown now. */
    sign(procedureId: string, formKey: string): SignedRender {
      const renderedAt = now().getTime();
      return { renderedAt, signature: mac(procedureId, formKey, renderedAt).toString('base64url') };
    },

    /** Why this posted form is not taken as a person's (honeypot first: it is the surest sign), or null. */
    refusal(procedureId: string, fields: { formKey: string; renderedAt: string; signature: string; honeypot: string }): FormRefusal | null {
      if (fields.honeypot !== '') return 'honeypot';
      const renderedAt = /^[0-9]{1,15}$/.test(fields.renderedAt) ? Number(fields.renderedAt) : NaN;
      const given = Buffer.from(fields.signature, 'base64url');
      if (Number.isNaN(renderedAt) || given.length !== 32 || !timingSafeEqual(given, mac(procedureId, fields.formKey, renderedAt))) {
        return 'form_signature_invalid';
      }
      if (now().getTime() - renderedAt < MIN_FORM_MS) return 'form_too_fast';
      return null;
    },
  };
}
