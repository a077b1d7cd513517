import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

// The hosted rating form as a person sends it: load the page, keep every field it carries (form
// key, signed render time, the empty honeypot), choose, and send it back a few seconds later. The
// seconds pass on the app's injected clock (buildApp's `now`), so no test sleeps.

export type FormFields = Record<string, string | string[]>;

/** A form-encoded body, repeated names for arrays (checkboxes). */
export const formBody = (fields: FormFields): string =>
  new URLSearchParams(Object.entries(fields).flatMap(([name, value]) => [value].flat().map((v) => [name, v]))).toString();

/** The fields of the page's rating form, as a browser would send them with nothing chosen. */
export function formFields(page: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)">/.exec(page)?.[1];
  if (!action) throw new Error('no rating form on this page');
  const fields: Record<string, string> = {};
  for (const [, name, value] of page.matchAll(/<input type="(?:hidden|text)" name="([^"]+)" value="([^"]*)"/g)) fields[name!] = value!;
  return { action, fields };
}

export interface FormClock {
  advance(ms: number): void;
}

export interface RatingFormPost {
  /** Origin header of the POST; the collector's own by default is the page's, so none is needed. */
  origin?: string | undefined;
  /** How long the person takes to answer, on the app's clock. */
  thinkMs?: number;
  headers?: Record<string, string>;
}

/** GETs `pageUrl`, then posts its rating form with `fields` added (or overriding the page's). */
export async function postRatingForm(
  app: FastifyInstance,
  clock: FormClock,
  pageUrl: string,
  fields: FormFields,
  { origin, thinkMs = 3000, headers = {} }: RatingFormPost = {},
): Promise<LightMyRequestResponse> {
  const page = await app.inject({ url: pageUrl });
  if (page.statusCode !== 200) throw new Error(`GET ${pageUrl} answered ${page.statusCode}`);
  const { action, fields: shown } = formFields(page.body);
  clock.advance(thinkMs);
  return app.inject({
    method: 'POST',
    url: action,
    payload: formBody({ ...shown, ...fields }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin && { origin }), ...headers },
  });
}
