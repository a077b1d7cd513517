import Fastify from 'fastify';
import { expect, test } from 'vitest';
import { type HtmlPage, html, page } from '../../../../server/pages/html.ts';
import { sendPage } from '../../../../server/pages/kit/send-page.ts';

// Every HTML reply goes through sendPage, and sendPage takes only an HtmlPage: a page made by page()
// (or agencyPage()) from the escaping template. A bare string is a type error, which `tsc` (run by
// `npm test`) reports if the @ts-expect-error below ever stops being one.
test('sendPage sends a page made from escaped HTML, with its status, type and headers', async () => {
  // @ts-expect-error a string that went around html`` and page() is no HtmlPage
  const bare: HtmlPage = '<p>not escaped</p>';
  expect(typeof bare).toBe('string');

  const app = Fastify();
  app.get('/', (_request, reply) =>
    sendPage(reply, 410, page({ lang: 'fr', title: 'Titre <b>', description: 'Essai', body: html`<p>${'<script>'}</p>` }), {
      cache: 'no-store',
      referrer: 'same-origin',
    }),
  );
  const reply = await app.inject({ url: '/' });
  expect(reply.statusCode).toBe(410);
  expect(reply.headers).toMatchObject({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'same-origin',
  });
  expect(reply.body).toContain('<title>Titre &lt;b&gt;</title>');
  expect(reply.body).toContain('<p>&lt;script&gt;</p>');
  await app.close();
});

test('with notModified, the reply is a 304 with the same validator and no body', async () => {
  const app = Fastify();
  app.get('/', (_request, reply) =>
    sendPage(reply, 200, page({ lang: 'en', title: 'T', description: 'Test', body: html`<p>x</p>` }), {
      etag: 'W/"v1"',
      notModified: true,
    }),
  );
  const reply = await app.inject({ url: '/' });
  expect(reply.statusCode).toBe(304);
  expect(reply.headers.etag).toBe('W/"v1"');
  expect(reply.body).toBe('');
  await app.close();
});
