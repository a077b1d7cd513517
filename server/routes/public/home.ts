import type { FastifyInstance } from 'fastify';
import { collectorUrlFor, type Config } from '../../config.ts';
import { html, page } from '../../pages/html.ts';
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
    const body = html`<header class="site"><p>Je donne mon avis</p></header>
<main>
<h1>Je donne mon avis\u00a0: le collecteur</h1>
<p>Ce service recueille l’avis des usagers à la fin d’une démarche en ligne (un clic sur l’un des trois visages,
puis quelques questions facultatives) et publie, par démarche, des indicateurs de satisfaction au format de
l’observatoire «\u00a0Vos démarches essentielles\u00a0».</p>
<ul>
<li><a href="/demo">Page de démonstration</a>\u00a0: une démarche terminée, avec le bouton «\u00a0Je donne mon avis\u00a0».</li>
<li><a href="/observatoire">Observatoire</a>\u00a0: la satisfaction des usagers, démarche par démarche.</li>
<li><a href="/api/v1/feed">Flux JSON des indicateurs</a> (<a href="/api/v1/feed.csv">CSV</a>, <a href="/api/v1/feed/schema.json">schéma</a>).</li>
<li><a href="/confidentialite">Confidentialité</a>\u00a0: ce qui est enregistré, combien de temps, ce qui est publié, qui contacter.</li>
<li><a href="/healthz">État du service</a></li>
</ul>
<h2>Intégrer le bouton</h2>
<p>Collez cette balise à la fin de votre démarche en ligne (remplacez <code>demo</code> par l’identifiant de votre démarche) :</p>
<pre><code>${scriptTag(collectorUrlFor(config, request), 'demo')}</code></pre>
</main>`;
    return sendPage(
      reply,
      200,
      page({
        lang: 'fr',
        title: 'Je donne mon avis',
        description:
          'Le bouton «\u00a0Je donne mon avis\u00a0» pour les démarches en ligne\u00a0: il recueille l’avis des usagers, anonymement, et publie la satisfaction de chaque démarche.',
        body,
      }),
    );
  });
}
