// A procedure's settings page in the agency space (SPEC §8): title, origins, placements, archive,
// the snippet with a preview of its button, the integration health with its one-click fixes.
// Server-rendered in the DSFR, forms that work without JavaScript.
import type { Lang } from '../../../shared/questionnaire.ts';
import { DEFAULT_PLACEMENT } from '../../../shared/questionnaire.ts';
import { withLang } from '../../../shared/languages.ts';
import {
  type HealthFix,
  type HealthRow,
  type HealthTotals,
  isOtherOrigin,
  pendingFixes,
  summedRows,
  topFixes,
  type TriedId,
  REFUSAL_LABELS,
} from '../../agency/integration-health.ts';
import { BUTTON_SIZE } from '../../button-svg.ts';
import type { SnippetBlock } from '../../snippet.ts';
import type { Procedure } from '../../store/store.ts';
import { procedureNav } from '../agency-layout.ts';
import { html, type SafeHtml } from '../html.ts';
import { alert, column, csrfField, type FieldError, inputGroup, table } from '../kit/dsfr.ts';
import { formatDay } from '../kit/format.ts';
import { ADMIN_CSS_PATH, ADMIN_JS_PATH, copyField, doneNotice, fieldId, spaceBreadcrumb } from './admin-parts.ts';
import { procedurePath } from '../space-home-pages.ts';
import { T } from './admin-texts.ts';
import { formSection, type FormSectionView } from './form-section.ts';
import { placementName } from '../kit/texts.ts';

export interface SettingsView {
  lang: Lang;
  csrfToken: string;
  procedure: Procedure;
  health: { rows: readonly HealthRow[]; totals: HealthTotals; tried: readonly TriedId[] };
  /** The placement the snippet is shown for (undefined: none). */
  placement: string | undefined;
  blocks: readonly SnippetBlock[];
  done?: string | undefined;
  error?: FieldError | undefined;
  form: FormSectionView;
  /** The page « ma situation personnelle » is sent to by the problem form, or null. */
  contactUrl: string | null;
}

/**
 * Rows a health table shows; the rest are summed in a sentence. The limits of refusal-bounds.ts keep
 * a day small, but 30 days of a flood still hold hundreds of origins: the page stays a few KB.
 */
const HEALTH_ROWS_SHOWN = 20;

/** A health table's first rows, and what the others add up to. */
function shownRows<T extends { count: number }>(rows: readonly T[]): { shown: readonly T[]; more: number; moreCount: number } {
  const rest = rows.slice(HEALTH_ROWS_SHOWN);
  return { shown: rows.slice(0, HEALTH_ROWS_SHOWN), more: rest.length, moreCount: rest.reduce((sum, row) => sum + row.count, 0) };
}

export function settingsPage(view: SettingsView): { title: string; main: SafeHtml } {
  const { lang, procedure, csrfToken } = view;
  const t = T[lang];
  const base = `/espace/demarches/${encodeURIComponent(procedure.id)}/reglages`;
  const action = (path: string) => withLang(`${base}${path}`, lang);
  const error = view.error;

  const { rows, totals, tried } = view.health;
  const fixes = topFixes(procedure, rows);
  const moreFixes = pendingFixes(procedure, rows).length - fixes.length;
  const fixForm = (fix: HealthFix, index: number) => {
    const [path, field, label] =
      fix.kind === 'add_origin'
        ? ['/origines', html`<input type="hidden" name="origin" value="${fix.origin}">`, t.fixOrigin]
        : fix.kind === 'add_placement'
          ? ['/emplacements', html`<input type="hidden" name="placement" value="${fix.placement}">`, t.fixPlacement]
          : ['/reactiver', '', t.fixRestore];
    return html`<form method="post" action="${action(path)}">${csrfField(csrfToken)}${field}<button type="submit" class="fr-btn fr-btn--sm" aria-describedby="correction-${index}">${label}</button></form>`;
  };
  const sentence = (fix: HealthFix, count: number) => {
    const n = t.ratings(count);
    return fix.kind === 'add_origin'
      ? t.fromOrigin(n, fix.origin)
      : fix.kind === 'add_placement'
        ? t.forPlacement(n, fix.placement)
        : t.whileArchived(n);
  };
  const originCell = (origin: string) => (isOtherOrigin(origin) ? t.otherOrigins : origin || t.noOrigin);
  const placementCell = (placement: string) => (placement === '*' ? t.otherPlacements : placement || '—');
  const moreRows = (more: number, moreCount: number) =>
    more > 0 && html`<p class="fr-text--sm">${t.moreRows(more, t.ratings(moreCount))}</p>`;
  const faults = shownRows(summedRows(rows, ['fault', 'stored']));
  const limitsByReason = new Map<string, number>();
  for (const row of summedRows(rows, ['limit'])) limitsByReason.set(row.reason, (limitsByReason.get(row.reason) ?? 0) + row.count);
  const triedShown = shownRows(tried);
  const triedTotal = tried.reduce((sum, row) => sum + row.count, 0);
  const health = html`<section class="fr-mb-6w" aria-labelledby="sante">
<h2 id="sante">${t.health}</h2>
<p>${t.healthIntro}</p>
${
  rows.length === 0 && tried.length === 0
    ? html`<p>${t.healthNone}</p>`
    : html`<ul>
${totals.faults > 0 && html`<li>${t.totalFaults(t.ratings(totals.faults))}</li>`}
${totals.stored > 0 && html`<li>${t.totalStored(t.stored(totals.stored))}</li>`}
${totals.limits > 0 && html`<li>${t.totalLimits(t.ratings(totals.limits))}</li>`}
</ul>`
}
${fixes.map(
  ({ fix, count }, index) => html`<div class="fr-alert fr-alert--warning fr-mb-2w">
  <p id="correction-${index}">${sentence(fix, count)}</p>
  ${fixForm(fix, index)}
</div>`,
)}
${moreFixes > 0 && html`<p>${t.moreFixes(moreFixes)}</p>`}
${totals.faults + totals.stored > 0 && fixes.length === 0 && html`<p>${t.healthNoFix}</p>`}
${
  tried.length > 0 &&
  html`${alert('warning', t.tried(t.ratings(triedTotal), procedure.id), { small: false, spacing: '2w' })}
<h3 class="fr-h6">${t.triedTable}</h3>
${table(
  t.triedTable,
  [t.triedId, t.origin, t.refusedCount],
  triedShown.shown.map(
    (row) => html`<tr><td>${row.procedureId || t.otherIds}</td><td>${originCell(row.origin)}</td><td>${row.count}</td></tr>`,
  ),
  { multiline: true, hiddenCaption: true },
)}${moreRows(triedShown.more, triedShown.moreCount)}`
}
${
  faults.shown.length > 0 &&
  html`<h3 class="fr-h6">${t.faults}</h3>
${table(
  t.faultsTable,
  [t.reason, t.origin, t.placement, t.refusedCount, t.lastDay],
  faults.shown.map(
    (row) =>
      html`<tr><td>${REFUSAL_LABELS[lang][row.reason] ?? row.reason}</td><td>${originCell(row.origin)}</td><td>${placementCell(row.placementId)}</td><td>${row.count}</td><td>${formatDay(lang, row.lastDay)}</td></tr>`,
  ),
  { multiline: true, hiddenCaption: true },
)}${moreRows(faults.more, faults.moreCount)}`
}
${
  limitsByReason.size > 0 &&
  html`<h3 class="fr-h6">${t.limits}</h3>
${table(
  t.limitsTable,
  [t.reason, t.refusedCount],
  [...limitsByReason].map(([reason, count]) => html`<tr><td>${REFUSAL_LABELS[lang][reason] ?? reason}</td><td>${count}</td></tr>`),
  { hiddenCaption: true },
)}`
}
</section>`;

  const placements = procedure.placements;
  const snippet = html`<section class="fr-mb-6w" aria-labelledby="code">
<h2 id="code">${t.snippet}</h2>
<p>${t.snippetIntro}</p>
${
  placements.length > 1 &&
  column(html`<form method="get" action="${base}#code" class="fr-mb-4w">
  ${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
  <div class="fr-select-group">
    <label class="fr-label" for="emplacement">${t.snippetPlacement}<span class="fr-hint-text">${t.snippetPlacementHint}</span></label>
    <select class="fr-select" id="emplacement" name="emplacement">
      ${placements.map(
        (p) =>
          html`<option value="${p === DEFAULT_PLACEMENT ? '' : p}"${(view.placement ?? DEFAULT_PLACEMENT) === p ? html` selected` : ''}>${placementName(lang, p)}</option>`,
      )}
    </select>
  </div>
  <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">${t.show}</button>
</form>`)
}
${view.blocks.map(
  (block, i) =>
    html`<h3 class="fr-h6" id="bloc-${i + 1}-titre">${i + 1}. ${t.blockTitles[i]}</h3>${copyField(lang, {
      id: `bloc-${i + 1}`,
      labelledBy: `bloc-${i + 1}-titre`,
      what: t.blockNames[i]!,
      code: block.code,
      rows: i === 1 ? 4 : 2,
    })}`,
)}
<h3 class="fr-h6">${t.preview}</h3>
<p>${t.previewIntro}</p>
<p>${(['light', 'dark'] as const).map(
    (theme) =>
      html`<span class="jdma-preview jdma-preview--${theme}"><img src="/button.svg?theme=${theme}&amp;lang=fr" width="${BUTTON_SIZE.width}" height="${BUTTON_SIZE.height}" alt="${t.previewAlt(t[theme])}"></span>`,
  )}</p>
</section>`;

  const title = html`<section class="fr-mb-6w" aria-labelledby="titre">
<h2 id="titre">${t.title}</h2>
${column(html`<form method="post" action="${action('/titre')}">
  ${csrfField(csrfToken)}
  ${inputGroup({ id: 'champ-titre', name: 'title', label: t.titleLabel, hint: t.titleHint, value: procedure.title, error, attrs: html` required maxlength="200"` })}
  <button type="submit" class="fr-btn">${t.saveTitle}</button>
</form>`)}
<form method="post" action="${action('/numero-jdma')}" class="fr-mt-4w">
  ${csrfField(csrfToken)}
  ${inputGroup({ id: 'champ-numero-jdma', name: 'product_id', label: t.productIdLabel, hint: t.productIdHint, value: String(procedure.productId), error, attrs: html` inputmode="numeric" pattern="[0-9]*" required` })}
  <button type="submit" class="fr-btn fr-btn--secondary">${t.saveProductId}</button>
</form>
</section>`;

  const contact = html`<section class="fr-mb-6w" aria-labelledby="contact">
<h2 id="contact">${t.contact}</h2>
${column(html`<form method="post" action="${action('/contact')}">
  ${csrfField(csrfToken)}
  ${inputGroup({ id: 'champ-contact', name: 'contact_url', label: t.contactLabel, hint: t.contactHint, value: view.contactUrl ?? '', error, type: 'url', attrs: html` maxlength="2000" spellcheck="false" autocapitalize="none"` })}
  <button type="submit" class="fr-btn">${t.saveContact}</button>
</form>`)}
</section>`;

  const listSection = (o: {
    id: string;
    heading: string;
    intro: string;
    items: readonly string[];
    empty: string;
    fixed?: (item: string) => string | undefined;
    /** What an item shows beside its name and its remove button (a badge, another form). */
    extra?: (item: string) => SafeHtml | '';
    path: string;
    name: string;
    label: string;
    hint: string;
    type: string;
  }) => html`<section class="fr-mb-6w" aria-labelledby="${o.id}">
<h2 id="${o.id}">${o.heading}</h2>
<p>${o.intro}</p>
${
  o.items.length === 0
    ? html`<p>${o.empty}</p>`
    : html`<ul class="fr-mb-3w">${o.items.map((item) => {
        const fixed = o.fixed?.(item);
        return html`<li class="fr-mb-1w"><span class="fr-mr-2w">${item}</span>${o.extra?.(item) ?? ''}${
          fixed
            ? html`<span class="fr-hint-text">${fixed}</span>`
            : html`<form method="post" action="${action(`${o.path}/retirer`)}" class="fr-mt-1v">${csrfField(csrfToken)}<input type="hidden" name="${o.name}" value="${item}"><button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm" aria-label="${t.removeWhat(item)}">${t.remove}</button></form>`
        }</li>`;
      })}</ul>`
}
${column(html`<form method="post" action="${action(o.path)}">
  ${csrfField(csrfToken)}
  ${inputGroup({ id: `${o.id}-nouvelle`, name: o.name, label: o.label, hint: o.hint, type: o.type, error, attrs: html` required spellcheck="false" autocapitalize="none"` })}
  <button type="submit" class="fr-btn fr-btn--secondary">${t.add}</button>
</form>`)}
</section>`;

  const origins = listSection({
    id: 'origines',
    heading: t.origins,
    intro: t.originsIntro,
    items: procedure.origins,
    empty: t.originsNone,
    path: '/origines',
    name: 'origin',
    label: t.addOrigin,
    hint: t.addOriginHint,
    type: 'url',
  });
  const placementList = listSection({
    id: 'emplacements',
    heading: t.placements,
    intro: `${t.placementsIntro} ${t.testExplained}`,
    items: placements,
    empty: '',
    fixed: (p) => (p === DEFAULT_PLACEMENT ? t.placementDefault : undefined),
    extra: (p) => {
      const test = procedure.testPlacements.includes(p);
      return html`${test ? html`<span class="fr-badge fr-badge--sm fr-badge--warning fr-mr-2w">${t.testBadge}</span>` : ''}<form method="post" action="${action(test ? '/emplacements/compter' : '/emplacements/test')}" class="fr-mt-1v">${csrfField(csrfToken)}<input type="hidden" name="placement" value="${p}"><button type="submit" class="fr-btn fr-btn--tertiary-no-outline fr-btn--sm" aria-label="${test ? t.markLive(p) : t.markTest(p)}">${test ? t.markLiveShort : t.markTestShort}</button></form>`;
    },
    path: '/emplacements',
    name: 'placement',
    label: t.addPlacement,
    hint: t.addPlacementHint,
    type: 'text',
  });

  const archived = procedure.archivedAt !== null;
  const archive = html`<section class="fr-mb-6w" aria-labelledby="archivage">
<h2 id="archivage">${t.archive}</h2>
<p><strong>${archived ? t.archivedOn(formatDay(lang, procedure.archivedAt!)) : t.active}</strong></p>
<p>${archived ? t.restoreExplained : t.archiveExplained}</p>
<form method="post" action="${action(archived ? '/reactiver' : '/archiver')}">
  ${csrfField(csrfToken)}
  <button type="submit" class="fr-btn ${archived ? '' : 'fr-btn--secondary'}">${archived ? t.restoreButton : t.archiveButton}</button>
</form>
</section>`;

  return {
    title: `${t.settings} – ${procedure.title}`,
    main: html`<link rel="stylesheet" href="${ADMIN_CSS_PATH}">
${spaceBreadcrumb(lang, [
  { label: procedure.title, path: procedurePath(procedure.id) },
  { label: t.settings, path: `${procedurePath(procedure.id)}/reglages` },
])}
<p class="fr-mb-1w">${t.entityLabel}${lang === 'fr' ? '\u00a0: ' : ': '}${procedure.entity}</p>
<h1>${t.settingsOf(procedure.title)}</h1>
${procedureNav(lang, procedure.id, 'settings', true)}
${doneNotice(lang, view.done)}
${error && alert('error', html`<a href="#${fieldId(error.field)}">${error.message}</a>`, { role: 'alert' })}
${archived && alert('info', html`${t.archivedNotice(formatDay(lang, procedure.archivedAt!))} <a href="#archivage">${t.archivedLink}</a>`)}
${health}
${snippet}
${title}
${contact}
${origins}
${placementList}
${formSection(lang, csrfToken, action, view.form)}
${archive}
<script src="${ADMIN_JS_PATH}" defer></script>`,
  };
}
