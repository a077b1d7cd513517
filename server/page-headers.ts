import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { PAGE_CSP } from './pages/html.ts';

/**
 * The security headers of every HTML page, set in one place so that no page, present or future,
 * can forget them. Keyed on the reply's content type: the JSON, CSS, script and image replies (the
 * hot path of ratings among them) only pay for one header read.
 *
 * - CSP: each page keeps its own (PAGE_CSP, or the demo pages' copy of an agency's strict CSP, both
 *   with `frame-ancestors 'none'` against clickjacking); a page that set none gets PAGE_CSP.
 * - Referrer-Policy `no-referrer` by default. Pages that post to the collector from the collector
 *   (the hosted form, the demo pages' widget) set `same-origin` themselves: under `no-referrer`
 *   browsers send `Origin: null` on a same-origin POST, which the origin check must refuse; and
 *   `same-origin` still sends nothing to any other site.
 * - HSTS only when the collector is served over https: over http browsers ignore it, and a local
 *   or test collector must stay reachable over http.
 *
 * @fastify/helmet was not used: it sets a dozen headers on every reply (the hot path included),
 * its default Cross-Origin-Resource-Policy would stop agencies' pages from loading widget.js, and
 * its CSP would have to be switched off on every page anyway.
 */
export function registerPageHeaders(app: FastifyInstance, config: Config): void {
  const hsts = config.publicUrl.startsWith('https:') ? 'max-age=31536000' : undefined;
  app.addHook('onSend', (_request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', PAGE_CSP);
      if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'no-referrer');
      reply.header('x-content-type-options', 'nosniff');
      if (hsts) reply.header('strict-transport-security', hsts);
    }
    done(null, payload);
  });
}
