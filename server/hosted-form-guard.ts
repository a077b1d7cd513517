import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SatisfactionAnswer } from '../shared/questionnaire.ts';

/** Faster than this between showing the rating form and its POST, no person has read it. */
export const MIN_FORM_MS = 2000;

/**
 * How long a rendered form may still be sent, and so how long its one-time key is kept (the hourly
 * purge forgets it after that): a form left open over a day is sent once more, freshly signed.
 */
export const FORM_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The field people never see nor reach, that form-filling scripts fill. */
export const HONEYPOT_FIELD = 'website';

/** Why a hosted rating form was refused as not sent by a person (counted in the integration health). */
export type FormRefusal = 'honeypot' | 'form_too_fast' | 'form_signature_invalid';

export interface SignedRender {
  renderedAt: number;
  signature: string;
}

/** What a posted rating form carries for the guard, as posted (strings, possibly empty). */
export interface PostedForm {
  formKey: string;
  renderedAt: string;
  signature: string;
  honeypot: string;
  /** The smiley the page was shown with already chosen, or ''. */
  preset: string;
  /** The smiley sent. */
  satisfaction: string;
}

export type HostedFormGuard = ReturnType<typeof hostedFormGuard>;

/**
 * A scripted client can post the hosted form as fast as it likes without ever loading it; the
 * CAPTCHA-free answer is to make every post prove that a page was rendered, and rendered long
 * enough ago for someone to have read it. The page carries its render time, signed with a key
 * every collector on the database shares (HOSTED_FORM_SECRET, or the key the migration stored): a
 * time cannot be forged or moved back, a signed form is bound to its one-time form key, its
 * procedure and the smiley it was shown with, and a form rendered by one collector is accepted by
 * any other.
 */
export function hostedFormGuard(signingKey: () => Promise<Buffer>, now: () => Date) {
  let key: Promise<Buffer> | undefined;
  // Read once; a failed read (the database out of reach) is tried again by the next form.
  const keyOf = (): Promise<Buffer> =>
    (key ??= signingKey().catch((error: unknown) => {
      key = undefined;
      throw error;
    }));
  const mac = async (procedureId: string, formKey: string, renderedAt: number, preset: string): Promise<Buffer> =>
    createHmac('sha256', await keyOf())
      .update(`${procedureId}\n${formKey}\n${renderedAt}\n${preset}`)
      .digest();

  return {
    /** The render time and its signature, for a form shown now, with `preset` already chosen or not. */
    async sign(procedureId: string, formKey: string, preset: SatisfactionAnswer | undefined): Promise<SignedRender> {
      const renderedAt = now().getTime();
      return { renderedAt, signature: (await mac(procedureId, formKey, renderedAt, preset ?? '')).toString('base64url') };
    },

    /** Why this posted form is not taken as a person's (honeypot first: it is the surest sign), or null. */
    async refusal(procedureId: string, form: PostedForm): Promise<FormRefusal | null> {
      if (form.honeypot !== '') return 'honeypot';
      const renderedAt = /^[0-9]{1,15}$/.test(form.renderedAt) ? Number(form.renderedAt) : NaN;
      const given = Buffer.from(form.signature, 'base64url');
      if (
        Number.isNaN(renderedAt) ||
        given.length !== 32 ||
        !timingSafeEqual(given, await mac(procedureId, form.formKey, renderedAt, form.preset)) ||
        // Its one-time key may be purged by now: sent again, it would count again.
        now().getTime() - renderedAt > FORM_LIFETIME_MS
      ) {
        return 'form_signature_invalid';
      }
      // A page shown with its smiley already chosen (the widget's own fallback link after a failed
      // send, or this form sent back to confirm) asks a person for one tap, which takes well under
      // 2 seconds: the time rule would turn away exactly the people the link was made for. Sent with
      // that smiley, such a form skips it; the honeypot, the signature, the one-time key, the rate
      // limit and the daily count still hold, so a script gains only the wait, not a second rating.
      const oneTap = form.preset !== '' && form.preset === form.satisfaction;
      if (!oneTap && now().getTime() - renderedAt < MIN_FORM_MS) return 'form_too_fast';
      return null;
    },
  };
}

/** A hosted form's url-encoded body: a field sent twice is an array. */
export type FormBody = Record<string, string | string[] | undefined>;
/** A field's one value: the first when it was sent twice. */
export const one = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
/** A form key as the page rendered it (a UUID): anything else gets a new one. */
export const FORM_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
