import type { FastifyInstance } from 'fastify';
import { collectorUrlFor, type Config } from '../../config.ts';
import { html, page, type SafeHtml } from '../../pages/html.ts';
import { withLang } from '../../../shared/languages.ts';
import { scriptTag } from '../../snippet.ts';
import { clientFile, clientFileCache } from '../../pages/client-files.ts';
import { sendPage } from '../../pages/kit/send-page.ts';

export async function homeRoutes(app: FastifyInstance, { config }: { config: Config }): Promise<void> {
  const styles = clientFile('pages.css');
  app.get('/pages.css', async (request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', clientFileCache('/pages.css', 'pages.css', request.query))
      .send(styles),
  );

  app.get('/', async (request, reply) => {
    const lang = (request.query as { lang?: unknown } | undefined)?.lang === 'en' ? 'en' : 'fr';
    const t = HOME_TEXT[lang];
    const body = html`<header class="site"><p>Je donne mon avis</p>
<nav aria-label="${t.nav}"><p><a href="${withLang('/espace', lang)}">${t.space}</a> · <a href="${withLang('/api/docs', lang)}">${t.apiDocs}</a> · ${
      lang === 'fr' ? html`<a href="/?lang=en" lang="en" hreflang="en">English</a>` : html`<a href="/" lang="fr" hreflang="fr">Français</a>`
    }</p></nav></header>
<main>
<h1>${t.heading}</h1>
<p>${t.intro}</p>
<ul>
<li><a href="/demo">${t.demo}</a>${t.demoSaid}</li>
<li><a href="${withLang('/observatoire', lang)}">${t.observatory}</a>${t.observatorySaid}</li>
<li><a href="/api/v1/feed">${t.feed}</a> (<a href="/api/v1/feed.csv">CSV</a>, <a href="/api/v1/feed/schema.json">${t.schema}</a>).</li>
<li><a href="${withLang('/espace', lang)}">${t.space}</a>${t.spaceSaid}</li>
<li><a href="${withLang('/api/docs', lang)}">${t.apiDocs}</a>${t.apiDocsSaid}</li>
<li><a href="${withLang('/confidentialite', lang)}">${t.privacy}</a>${t.privacySaid}</li>
<li><a href="/healthz">${t.health}</a></li>
</ul>
<h2>${t.embed}</h2>
<p>${t.paste(html`<code>demo</code>`)}</p>
<pre><code>${scriptTag(collectorUrlFor(config, request), 'demo')}</code></pre>
</main>`;
    return sendPage(reply, 200, page({ lang, title: 'Je donne mon avis', description: t.description, body }));
  });
}

const HOME_TEXT = {
  fr: {
    nav: 'Accès',
    heading: 'Je donne mon avis\u00a0: le collecteur',
    intro:
      'Ce service recueille l’avis des usagers à la fin d’une démarche en ligne (un clic sur l’un des trois visages, puis quelques questions facultatives) et publie, par démarche, des indicateurs de satisfaction au format de l’observatoire «\u00a0Vos démarches essentielles\u00a0».',
    demo: 'Page de démonstration',
    demoSaid: '\u00a0: une démarche terminée, avec le bouton «\u00a0Je donne mon avis\u00a0».',
    observatory: 'Observatoire',
    observatorySaid: '\u00a0: la satisfaction des usagers, démarche par démarche.',
    feed: 'Flux JSON des indicateurs',
    schema: 'schéma',
    space: 'Espace agence',
    spaceSaid: '\u00a0: les avis, les résultats et les réglages de vos démarches, pour les agents.',
    apiDocs: 'Documentation de l’API',
    apiDocsSaid: '\u00a0: le flux, l’envoi des avis et l’API des agences.',
    privacy: 'Confidentialité',
    privacySaid: '\u00a0: ce qui est enregistré, combien de temps, ce qui est publié, qui contacter.',
    health: 'État du service',
    embed: 'Intégrer le bouton',
    paste: (id: SafeHtml) =>
      html`Collez cette balise à la fin de votre démarche en ligne (remplacez ${id} par l’identifiant de votre démarche)\u00a0:`,
    description:
      'Le bouton «\u00a0Je donne mon avis\u00a0» pour les démarches en ligne\u00a0: il recueille l’avis des usagers, anonymement, et publie la satisfaction de chaque démarche.',
  },
  en: {
    nav: 'Access',
    heading: 'Je donne mon avis: the collector',
    intro:
      'This service collects users’ opinions at the end of an online procedure (a click on one of three faces, then a few optional questions) and publishes, procedure by procedure, satisfaction indicators in the format of the “Vos démarches essentielles” observatory.',
    demo: 'Demonstration page',
    demoSaid: ': a finished procedure, with the “Je donne mon avis” button (in French).',
    observatory: 'Observatory',
    observatorySaid: ': users’ satisfaction, procedure by procedure.',
    feed: 'JSON feed of the indicators',
    schema: 'schema',
    space: 'Agency space',
    spaceSaid: ': your procedures’ reviews, results and settings, for agents.',
    apiDocs: 'API documentation',
    apiDocsSaid: ': the feed, sending reviews, and the agencies’ API.',
    privacy: 'Privacy',
    privacySaid: ': what is stored, for how long, what is published, whom to contact.',
    health: 'Service status',
    embed: 'Embed the button',
    paste: (id: SafeHtml) => html`Paste this tag at the end of your online procedure (replace ${id} with your procedure’s id):`,
    description:
      'The “Je donne mon avis” button for online procedures: it collects users’ opinions, anonymously, and publishes each procedure’s satisfaction.',
  },
} as const;
