// preview.tmp.ts
import Fastify from "fastify";

// server/routes/dsfr-assets.ts
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
function findDsfr() {
  for (const path of ["./dsfr/", "../../dist/dsfr/"]) {
    const dir = fileURLToPath(new URL(path, import.meta.url));
    const version = existsSync(dir) ? readdirSync(dir)[0] : void 0;
    if (version) return { dir: `${dir}${version}/`, base: `/dsfr/${version}/` };
  }
  return void 0;
}
async function dsfrAssetRoutes(app2, { dsfr: dsfr2 = findDsfr() } = {}) {
  if (!dsfr2) {
    app2.log.warn("dist/dsfr is missing: run `npm run build` to serve the agency space styles");
    return;
  }
  await app2.register(fastifyStatic, {
    root: dsfr2.dir,
    prefix: dsfr2.base,
    // The build wrote .br and .gz beside each text file: served as the browser accepts, never compressed per request.
    preCompressed: true,
    immutable: true,
    maxAge: "365d",
    index: false,
    list: false
  });
}

// server/pages/html.ts
var SafeHtml = class {
  constructor(value) {
    this.value = value;
  }
  value;
  toString() {
    return this.value;
  }
};
var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
var escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
var render = (value) => {
  if (value === null || value === void 0 || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
};
function html(strings, ...values) {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

// server/pages/agency-layout.ts
var AGENCY_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
var TEXT = {
  fr: {
    skip: "Acc\xE8s rapide",
    toContent: "Contenu",
    toFooter: "Pied de page",
    service: "Je donne mon avis",
    tagline: "Espace des administrations",
    home: "Accueil",
    logout: "Se d\xE9connecter",
    otherLang: "English",
    footer: "Les avis des usagers sur les d\xE9marches en ligne, pour les administrations qui les proposent.",
    privacy: "Donn\xE9es personnelles",
    api: "Documentation de l\u2019API",
    observatory: "Observatoire public"
  },
  en: {
    skip: "Skip links",
    toContent: "Content",
    toFooter: "Footer",
    service: "Je donne mon avis",
    tagline: "Agency space",
    home: "Home",
    logout: "Sign out",
    otherLang: "Fran\xE7ais",
    footer: "Users\u2019 feedback on online procedures, for the administrations that offer them.",
    privacy: "Personal data",
    api: "API documentation",
    observatory: "Public observatory"
  }
};
function agencyPage({ lang, title, main, dsfrBase, account, otherLangHref }) {
  const t = TEXT[lang];
  const suffix = lang === "fr" ? "?lang=fr" : "?lang=en";
  return html`<!doctype html>
<html lang="${lang}" data-fr-scheme="system">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<meta name="format-detection" content="telephone=no">
<title>${title} – ${t.service}</title>
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
${toolbar(lang, account, otherLangHref)}
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
      </ul>
    </div>
  </div>
</footer>
<script type="module" src="${dsfrBase}dsfr.module.min.js"></script>
</body>
</html>
`.value;
}
function toolbar(lang, account, otherLangHref) {
  const t = TEXT[lang];
  const other = lang === "fr" ? "en" : "fr";
  return html`<div class="fr-container fr-py-1w">
  <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--right">
    <li><a class="fr-btn fr-btn--tertiary-no-outline" href="${otherLangHref}" hreflang="${other}" lang="${other}">${t.otherLang}</a></li>
    ${account && html`<li><form method="post" action="/espace/deconnexion">
      <input type="hidden" name="_csrf" value="${account.csrfToken}">
      <button type="submit" class="fr-btn fr-btn--tertiary" title="${t.logout} (${account.email})">${t.logout}</button>
    </form></li>`}
  </ul>
</div>`;
}

// preview.tmp.ts
var app = Fastify();
await app.register(dsfrAssetRoutes);
var dsfr = findDsfr();
app.get("/espace", async (req, reply) => reply.type("text/html; charset=utf-8").header("content-security-policy", AGENCY_CSP).send(agencyPage({
  lang: "fr",
  title: "Mes d\xE9marches",
  dsfrBase: dsfr.base,
  otherLangHref: "/espace?lang=en",
  account: { email: "agent@interieur.gouv.fr", csrfToken: "x" },
  main: html`<h1 class="fr-mt-4w">Mes démarches</h1>
<div class="fr-table"><table><caption>Démarches du Ministère de l’Intérieur</caption><thead><tr><th scope="col">Démarche</th><th scope="col">Satisfaction</th><th scope="col">Avis (30 jours)</th></tr></thead>
<tbody><tr><td><a href="#">Demande de passeport</a></td><td><p class="fr-badge fr-badge--success">8,2 / 10</p></td><td>1 204</td></tr>
<tr><td><a href="#">Carte grise</a></td><td><p class="fr-badge fr-badge--warning">5,1 / 10</p></td><td>87</td></tr></tbody></table></div>
<div class="fr-alert fr-alert--warning fr-mb-4w"><h2 class="fr-alert__title">142 notes refusées</h2><p>depuis https://www.example.gouv.fr</p></div>
<form><div class="fr-input-group"><label class="fr-label" for="q">Mots recherchés</label><input class="fr-input" id="q" name="q"></div><button class="fr-btn">Filtrer</button></form>`
})));
await app.listen({ port: 8099, host: "127.0.0.1" });
console.log("up");
