// The agency space's page frame, in the French state's design system (DSFR): skip links, the header
// with the "bloc-marque" and the service's name, the main content, the footer. Markup as the DSFR
// documents its header and footer components; no inline script or style (the pages' CSP).
import type { Lang } from '../../shared/questionnaire.ts';
import { findDsfr } from '../find-dsfr.ts';
import { type HtmlPage, html, htmlPage, type SafeHtml } from './html.ts';

/**
 * The agency space's CSP: the pages' strict one, plus the Marianne fonts, and data: images, which
 * DSFR's stylesheet uses for radio and list markers. `formActions`: other origins a form may be
 * sent to, or redirected to (Chromium checks a form's redirects too): the identity provider, where
 * signing out also ends its session.
 */
export function agencyCsp(formActions: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "script-src 'self'",
    "connect-src 'self'",
    ["form-action 'self'", ...formActions].join(' '),
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// Found once: the build wrote one version's folder, and it does not change while the collector runs.
let dsfrBase: string | undefined;
const dsfrBaseOf = () => (dsfrBase ??= findDsfr()?.base ?? '/dsfr/missing/');

/** The address of the page `here` (path and query) in the other language: French has no parameter. */
export function otherLangHref(here: string, lang: Lang): string {
  const url = new URL(here, 'http://x');
  if (lang === 'fr') url.searchParams.set('lang', 'en');
  else url.searchParams.delete('lang');
  return url.pathname + url.search;
}

const TEXT = {
  fr: {
    skip: 'Accès rapide',
    toContent: 'Contenu',
    toFooter: 'Pied de page',
    service: 'Je donne mon avis',
    tagline: 'Espace agence',
    home: 'Accueil',
    logout: 'Se déconnecter',
    account: 'Mon compte',
    mails: 'Mes courriels',
    bar: 'Langue et compte',
    otherLang: 'English',
    footer: 'Les avis des usagers sur les démarches en ligne, pour les administrations qui les proposent.',
    privacy: 'Données personnelles',
    api: 'Documentation de l’API',
    observatory: 'Observatoire public',
    accessibility: 'Accessibilité\u00a0: partiellement conforme',
  },
  en: {
    skip: 'Skip links',
    toContent: 'Content',
    toFooter: 'Footer',
    service: 'Je donne mon avis',
    tagline: 'Agency space',
    home: 'Home',
    logout: 'Sign out',
    account: 'My account',
    mails: 'My e-mails',
    bar: 'Language and account',
    otherLang: 'Français',
    footer: 'Users’ feedback on online procedures, for the administrations that offer them.',
    privacy: 'Personal data',
    api: 'API documentation',
    observatory: 'Public observatory',
    accessibility: 'Accessibility: partially compliant',
  },
} as const;

export interface AgencyPageOptions {
  lang: Lang;
  /** The page's own name first, then the service's: screen readers announce the title on arrival. */
  title: string;
  main: SafeHtml;
  /** The signed-in member, with the token their logout form must carry; absent on the sign-in pages. */
  account?: Account | undefined;
  /** This page's path and query, for the link to it in the other language. */
  here: string;
}

export interface Account {
  email: string;
  csrfToken: string;
}

export function agencyPage({ lang, title, main, account, here }: AgencyPageOptions): HtmlPage {
  const t = TEXT[lang];
  const dsfrBase = dsfrBaseOf();
  const suffix = lang === 'fr' ? '' : '?lang=en';
  return htmlPage(html`<!doctype html>
<html lang="${lang}" data-fr-scheme="system">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<meta name="format-detection" content="telephone=no">
<title>${title} – ${t.service}</title>
<meta name="description" content="${t.footer}">
<link rel="stylesheet" href="${dsfrBase}dsfr.min.css">
<link rel="icon" href="${dsfrBase}favicon/favicon.svg" type="image/svg+xml">
</head>
<body>
<div class="fr-skiplinks">
  <nav class="fr-container" role="navigation" aria-label="${t.skip}">
    <ul class="fr-skiplinks__list">
      <li><a class="fr-link" href="#contenu">${t.toContent}</a></li>
      <li><a class="fr-link" href="#pied-de-page">${t.toFooter}</a></li>
    </ul>
  </nav>
</div>
<header role="banner" class="fr-header">
  <div class="fr-header__body">
    <div class="fr-container">
      <div class="fr-header__body-row">
        <div class="fr-header__brand fr-enlarge-link">
          <div class="fr-header__brand-top">
            <div class="fr-header__logo"><p class="fr-logo">République<br>Française</p></div>
          </div>
          <div class="fr-header__service">
            <a href="/espace${suffix}" title="${t.home} – ${t.service}"><p class="fr-header__service-title">${t.service}</p></a>
            <p class="fr-header__service-tagline">${t.tagline}</p>
          </div>
        </div>
      </div>
    </div>
  </div>
</header>
${toolbar(lang, account, otherLangHref(here, lang))}
<main id="contenu" tabindex="-1" class="fr-container fr-pb-8w">
${main}
</main>
<footer class="fr-footer" role="contentinfo" id="pied-de-page">
  <div class="fr-container">
    <div class="fr-footer__body">
      <div class="fr-footer__brand fr-enlarge-link">
        <a href="/espace${suffix}" title="${t.home} – ${t.service}"><p class="fr-logo">République<br>Française</p></a>
      </div>
      <div class="fr-footer__content">
        <p class="fr-footer__content-desc">${t.footer}</p>
      </div>
    </div>
    <div class="fr-footer__bottom">
      <ul class="fr-footer__bottom-list">
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/confidentialite${suffix}">${t.privacy}</a></li>
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/api/docs">${t.api}</a></li>
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/observatoire${suffix}">${t.observatory}</a></li>
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/accessibilite${suffix}">${t.accessibility}</a></li>
      </ul>
    </div>
  </div>
</footer>
${
  // DSFR's script (110 kB) drives the space's menus and disclosures; the pages before sign-in use none
  // of them, so they load none, as the public pages do (a phone's first visit parses no script).
  account ? html`<script type="module" src="${dsfrBase}dsfr.module.min.js"></script>` : ''
}
</body>
</html>
`);
}

// The account bar sits below the header rather than in its tools area: DSFR hides the header's
// tools below 992 px behind a menu that needs its script, and signing out and changing language
// must work at 320 px without JavaScript.
function toolbar(lang: Lang, account: Account | undefined, otherHref: string): SafeHtml {
  const t = TEXT[lang];
  const other = lang === 'fr' ? 'en' : 'fr';
  // A landmark of its own: content outside every landmark is missed by those who move by landmarks.
  return html`<nav class="fr-container fr-py-1w" aria-label="${t.bar}">
  <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--right">
    <li><a class="fr-btn fr-btn--tertiary-no-outline" href="${otherHref}" hreflang="${other}" lang="${other}">${t.otherLang}</a></li>
    ${account && html`<li><a class="fr-btn fr-btn--tertiary-no-outline" href="/espace/preferences${lang === 'fr' ? '' : '?lang=en'}">${t.mails}</a></li>`}
    ${
      account &&
      html`<li><a class="fr-btn fr-btn--tertiary-no-outline" href="${lang === 'fr' ? '/espace/compte' : '/espace/compte?lang=en'}">${t.account}</a></li>
    <li><form method="post" action="/espace/deconnexion${lang === 'fr' ? '' : '?lang=en'}">
      <input type="hidden" name="_csrf" value="${account.csrfToken}">
      <button type="submit" class="fr-btn fr-btn--tertiary" title="${t.logout} (${account.email})">${t.logout}</button>
    </form></li>`
    }
  </ul>
</nav>`;
}

/**
 * A page of signing in or out (link, ProConnect, their refusals): the space's frame with the title as
 * its heading; its language link leads to the space's sign-in page in the other language.
 */
export const signInPage = (lang: Lang, title: string, main: SafeHtml): HtmlPage =>
  agencyPage({
    lang,
    title,
    here: '/espace',
    main: html`<h1 class="fr-mt-4w">${title}</h1>
${main}`,
  });

export type ProcedureTab = 'results' | 'reviews' | 'insights' | 'compare' | 'settings';

const TABS: Record<Lang, Record<ProcedureTab, string>> = {
  fr: {
    results: 'Résultats',
    reviews: 'Avis et commentaires',
    insights: 'Analyse des commentaires',
    compare: 'Comparer',
    settings: 'Réglages',
  },
  en: { results: 'Results', reviews: 'Reviews and comments', insights: 'Comment analysis', compare: 'Compare', settings: 'Settings' },
};

/**
 * The links between a procedure's pages, the current one marked for screen readers. Settings are
 * listed for admins only: a reader is not shown a page they cannot open.
 */
export function procedureNav(lang: Lang, procedureId: string, current: ProcedureTab, isAdmin: boolean): SafeHtml {
  const base = `/espace/demarches/${encodeURIComponent(procedureId)}`;
  const paths: Record<ProcedureTab, string> = {
    results: base,
    reviews: `${base}/avis`,
    insights: `${base}/analyse`,
    compare: `${base}/comparer`,
    settings: `${base}/reglages`,
  };
  const tabs = (['results', 'reviews', 'insights', 'compare', 'settings'] as const).filter((tab) => tab !== 'settings' || isAdmin);
  const label = lang === 'en' ? 'Pages of this procedure' : 'Pages de cette démarche';
  return html`<nav class="fr-mb-4w" aria-label="${label}">
  <ul class="fr-btns-group fr-btns-group--inline-sm">
    ${tabs.map(
      (tab) =>
        html`<li><a class="fr-btn ${tab === current ? '' : 'fr-btn--secondary'}" href="${lang === 'fr' ? paths[tab] : `${paths[tab]}?lang=en`}"${
          tab === current ? html` aria-current="page"` : ''
        }>${TABS[lang][tab]}</a></li>`,
    )}
  </ul>
</nav>`;
}
