// The page a person sees after following a broken link to the collector: in French (the service's
// language), with a way back, under the same strict CSP as every page.
import { html, page, type HtmlPage } from './html.ts';

export function notFoundPage(): HtmlPage {
  return page({
    lang: 'fr',
    title: 'Page introuvable – Je donne mon avis',
    description: 'Cette adresse ne correspond à aucune page du service Je donne mon avis.',
    body: html`<header class="site"><p><a href="/">Je donne mon avis</a></p></header>
<main>
<h1>Page introuvable</h1>
<p>L’adresse demandée ne correspond à aucune page de ce service. Elle a peut-être été mal recopiée.</p>
<p lang="en">This address matches no page of this service.</p>
<ul>
<li><a href="/">Accueil du service</a></li>
<li><a href="/observatoire">Observatoire\u00a0: la satisfaction des usagers, démarche par démarche</a></li>
</ul>
</main>`,
  });
}
