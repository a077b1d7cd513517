import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectorUrlFor, type Config } from '../../config.ts';
import { DEMO_PROCEDURE } from '../../demo-procedure.ts';
import { html, page, pagesCss, SafeHtml } from '../../pages/html.ts';
import { scriptTag } from '../../snippet.ts';
import { sendPage } from '../../pages/kit/send-page.ts';

// Demo pages (SPEC §5, seen from the agency's side): what an agency's "procedure finished" page looks like with the snippet
// pasted in, and the same page under hostile CSS, on which the widget must look and work the same.
// Both are served under the strict CSP of SPEC §5 (the collector's origin, nothing inline).

/** The CSP an agency's page may have (SPEC §5): only the collector, no 'unsafe-inline', no nonce. */
export const demoCsp = (collector: string): string =>
  `default-src 'none'; script-src ${collector}; connect-src ${collector}; style-src ${collector}; img-src ${collector}; ` +
  `font-src ${collector}; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`;

/** What `* { all: unset }` and friends do to an unprepared widget: everything visible, hidden or huge. */
export const HOSTILE_CSS = `
* { all: unset; }
html { font-size: 40px; }
body { display: block; font: italic 48px/3 "Comic Sans MS", fantasy; color: #c00; background: #ff0; letter-spacing: 4px; }
button { display: none !important; }
div, p, h1, ul, li, pre { display: block; margin: 24px; }
dialog { display: none !important; position: static !important; }
jdma-avis { display: inline !important; font-size: 72px !important; color: lime !important; }
svg { width: 500px !important; height: 500px !important; }
label, input { font-size: 60px !important; }
:root { --blue: red; --bg: black; --text: yellow; }
`;

/** The demo page's own script (external: the CSP allows no inline script): jdma.open and the events. */
const DEMO_JS = `
document.getElementById('open-again').addEventListener('click', function () {
  if (!window.jdma || !window.jdma.open('demo')) alert('Le widget n’est pas encore chargé.');
});
var log = document.getElementById('events');
['jdma:rated', 'jdma:completed'].forEach(function (type) {
  document.addEventListener(type, function (event) {
    var item = document.createElement('li');
    item.textContent = type + ' ' + JSON.stringify(event.detail);
    log.append(item);
  });
});
`;

export async function demoPageRoutes(app: FastifyInstance, { config }: { config: Config }): Promise<void> {
  const demoBody = (collector: string, hostile: boolean) => {
    const snippet = scriptTag(collector, DEMO_PROCEDURE.id, 'site');
    const hostedLink = `${collector}/avis/${DEMO_PROCEDURE.id}?placement=email`;
    return html`<header class="site"><p>${DEMO_PROCEDURE.title}</p></header>
<main>
<h1>Votre demande a bien été envoyée</h1>
<p>Numéro de dossier\u00a0: <strong>DEMO-2026-000123</strong>. Vous recevrez une réponse par courriel sous 15 jours.</p>
${
  hostile
    ? html`<p>Cette page a un CSS hostile\u00a0: <code>* { all: unset }</code>, <code>button { display: none !important }</code>,
polices énormes. Ses propres boutons sont donc invisibles\u00a0; celui du widget, isolé dans son Shadow DOM, ne l’est pas.</p>
<button type="button">Bouton de la page, caché par son propre CSS</button>`
    : ''
}
<h2>Aidez-nous à améliorer ce service</h2>
${new SafeHtml(snippet)}
<h2>Pour les agences</h2>
<p>Le bouton ci-dessus vient de cette balise, collée telle quelle\u00a0:</p>
<pre><code>${snippet}</code></pre>
<p class="email-button">Sans JavaScript, dans un courriel ou un courrier : <a href="${hostedLink}"><img src="/button.png?theme=light&amp;lang=fr&amp;scale=2" alt="Je donne mon avis" width="200" height="48"></a></p>
<p><button type="button" class="action" id="open-again">Ouvrir le formulaire avec <code>jdma.open('demo')</code></button></p>
<h3>Événements reçus par la page</h3>
<ul id="events" aria-live="polite"></ul>
<p><a href="${hostile ? '/demo' : '/demo/hostile'}">${hostile ? 'La même page sans CSS hostile' : 'La même page avec un CSS hostile'}</a> · <a href="/">Accueil du collecteur</a></p>
</main>
<script src="/demo/demo.js"></script>`;
  };

  const demoPage = (hostile: boolean) => (request: FastifyRequest, reply: FastifyReply) => {
    const collector = collectorUrlFor(config, request);
    const body = page({
      lang: 'fr',
      title: `${hostile ? 'Démo (CSS hostile)' : 'Démo'} – Je donne mon avis`,
      description: hostile
        ? 'Le bouton Je donne mon avis sur une page dont les styles tentent de le défaire\u00a0: il reste lisible et utilisable.'
        : 'Une démarche en ligne terminée, avec le bouton Je donne mon avis\u00a0: essayez-le, votre avis compte dans l’observatoire.',
      body: demoBody(collector, hostile),
      stylesheets: hostile ? ['/demo/hostile.css'] : [pagesCss()],
    });
    // The widget on this page posts to the collector, its own origin: same-origin (kit/send-page.ts).
    return sendPage(reply, 200, body, { csp: demoCsp(collector), referrer: 'same-origin' });
  };

  app.get('/demo', demoPage(false));
  app.get('/demo/hostile', demoPage(true));
  app.get('/demo/hostile.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(HOSTILE_CSS));
  app.get('/demo/demo.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(DEMO_JS));
}
