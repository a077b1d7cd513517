// Every HTML reply of the collector goes out here: status, type and headers set one way. The CSP is
// not set here but in one hook per audience, so that no page can forget it: page-headers.ts gives
// PAGE_CSP to every page, and the agency space's scope its own (agency-layout.ts agencyCsp); only
// the demo pages, which copy an agency's CSP, say theirs.
import type { FastifyReply } from 'fastify';
import type { HtmlPage } from '../html.ts';

export interface PageReplyOptions {
  /** Cache-Control; none by default (the agency scope makes all its replies no-store). */
  cache?: string;
  /**
   * `same-origin` for pages that post to the collector itself (the hosted form, the demo pages):
   * under the default no-referrer, browsers send `Origin: null` on that POST, which the origin
   * check refuses (page-headers.ts).
   */
  referrer?: 'same-origin';
  /** The demo pages alone: an agency's own strict CSP, copied, in place of PAGE_CSP. */
  csp?: string;
  /** A validator; with `notModified`, the reply is a 304 with the same headers and no body. */
  etag?: string;
  notModified?: boolean;
}

/** Sends a whole page, made by page() or agencyPage() from escaped HTML (html.ts HtmlPage), and nothing else. */
export function sendPage(reply: FastifyReply, status: number, body: HtmlPage, options: PageReplyOptions = {}): FastifyReply {
  reply.code(status).type('text/html; charset=utf-8');
  if (options.cache) reply.header('cache-control', options.cache);
  if (options.referrer) reply.header('referrer-policy', options.referrer);
  if (options.csp) reply.header('content-security-policy', options.csp);
  if (options.etag) reply.header('etag', options.etag);
  return options.notModified ? reply.code(304).send() : reply.send(body);
}
