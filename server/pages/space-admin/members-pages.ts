// An entity's members and API keys in the agency space (SPEC §8): the list, the forms that add,
// change and remove them, a new key shown once, and the confirmation before a removal.
import type { Lang } from '../../../shared/questionnaire.ts';
import { withLang } from '../../../shared/languages.ts';
import type { AccessRequest, ApiKey, Member, Procedure } from '../../store/store.ts';
import { html, type SafeHtml } from '../html.ts';
import { alert, column, csrfField, type FieldError, inputGroup, table } from '../kit/dsfr.ts';
import { formatDay, formatTime } from '../kit/format.ts';
import { ADMIN_CSS_PATH, ADMIN_JS_PATH, doneNotice, entityBase, entityNav, errorNotice, fieldId, spaceBreadcrumb } from './admin-parts.ts';
import { T } from './admin-texts.ts';
import { E } from './entity-texts.ts';

export interface MembersView {
  lang: Lang;
  csrfToken: string;
  /** The signed-in member, marked « (vous) » in the table. */
  email: string;
  entity: { id: string; name: string };
  members: readonly Member[];
  /** Pending access requests, oldest first. */
  requests: readonly AccessRequest[];
  keys: readonly ApiKey[];
  /** The path of the entity's logo, when it has one. */
  logo?: string | undefined;
  procedures: readonly Pick<Procedure, 'id' | 'title'>[];
  done?: string | undefined;
  /** A refusal that belongs to no field (the last admin), shown at the top. */
  failure?: string | undefined;
  error?: FieldError | undefined;
  /** What the forms held when they were refused. */
  form?: { role?: string; procedures?: readonly string[] } | undefined;
}

export function membersPage(view: MembersView): { title: string; main: SafeHtml } {
  const { lang, csrfToken, entity } = view;
  const e = E[lang];
  const action = (path: string) => withLang(`${entityBase(entity.id)}${path}`, lang);
  const error = view.error;
  const roleOptions = (selected: string) =>
    (['reader', 'admin'] as const).map(
      (role) => html`<option value="${role}"${role === selected ? html` selected` : ''}>${e.roles[role]}</option>`,
    );

  // Named by aria-label, not a visually hidden <label>: absolutely placed, that would escape the
  // table's scrolling box and widen the page at 320 px.
  const memberRows = view.members.map(
    (m, i) => html`<tr>
  <td>${m.email}${m.email === view.email ? html` <span class="fr-hint-text">${e.you}</span>` : ''}</td>
  <td>${e.roles[m.role]}</td>
  <td>${formatDay(lang, m.createdAt)}</td>
  <td><form method="post" action="${action('/membres/role')}">${csrfField(csrfToken)}<input type="hidden" name="email" value="${m.email}">
    <select class="fr-select fr-mb-1w" id="role-${i}" name="role" aria-label="${e.roleOf(m.email)}">${roleOptions(m.role)}</select>
    <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm" aria-label="${e.changeFor(m.email)}">${e.change}</button></form></td>
  <td><form method="post" action="${action('/membres/retirer')}">${csrfField(csrfToken)}<input type="hidden" name="email" value="${m.email}">
    <button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm" aria-label="${e.removeFor(m.email)}">${e.removeMember}</button></form></td>
</tr>`,
  );
  const requestRows = view.requests.map(
    (r) => html`<tr>
  <td>${r.email}</td>
  <td>${formatTime(lang, r.createdAt)}</td>
  <td><form method="post" action="${action(`/demandes/${r.id}/accepter`)}">${csrfField(csrfToken)}
    <select class="fr-select fr-mb-1w" id="demande-role-${r.id}" name="role" aria-label="${e.roleFor(r.email)}">${roleOptions('reader')}</select>
    <button type="submit" class="fr-btn fr-btn--sm" aria-label="${e.acceptFor(r.email)}">${e.accept}</button></form>
  <form method="post" action="${action(`/demandes/${r.id}/refuser`)}">${csrfField(csrfToken)}
    <button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm fr-mt-1w" aria-label="${e.refuseFor(r.email)}">${e.refuse}</button></form></td>
</tr>`,
  );
  const chosen = new Set(view.form?.procedures ?? []);
  const titles = new Map(view.procedures.map((p) => [p.id, p.title]));
  const keyRows = view.keys.map(
    (k) => html`<tr>
  <td>${k.name}</td>
  <td>${k.procedureIds === null ? e.wholeEntity : k.procedureIds.map((id) => titles.get(id) ?? id).join(', ')}</td>
  <td>${formatTime(lang, k.createdAt)}</td>
  <td>${k.lastUsedAt ? formatTime(lang, k.lastUsedAt) : e.never}</td>
  <td>${
    k.revokedAt
      ? html`<p class="fr-badge fr-badge--sm fr-badge--no-icon">${e.revoked}</p> ${e.revokedOn(formatTime(lang, k.revokedAt))}`
      : html`<p class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--success">${e.live}</p>`
  }</td>
  <td>${
    k.revokedAt
      ? ''
      : html`<form method="post" action="${action('/cles/revoquer')}">${csrfField(csrfToken)}<input type="hidden" name="name" value="${k.name}">
    <button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm" aria-label="${e.revokeFor(k.name)}">${e.revoke}</button></form>`
  }</td>
</tr>`,
  );
  const roleError = error?.field === 'role' ? error : undefined;
  const proceduresError = error?.field === 'procedures' ? error : undefined;
  return {
    title: e.membersOf(entity.name),
    main: html`${spaceBreadcrumb(lang, [{ label: e.membersOf(entity.name), path: `${entityBase(entity.id)}/membres` }])}
<h1>${e.membersOf(entity.name)}</h1>
${entityNav(lang, entity.id, 'members')}
${doneNotice(lang, view.done)}
${errorNotice(lang, view.failure)}
${error && alert('error', html`<a href="#${fieldId(error.field)}">${error.message}</a>`, { role: 'alert' })}
${
  view.requests.length > 0 &&
  html`<section class="fr-mb-6w" aria-labelledby="demandes">
<h2 id="demandes">${e.requests}</h2>
<p>${e.requestsIntro}</p>
${table(e.requestsCaption(entity.name), [e.address, e.askedOn, e.answer], requestRows, { hiddenCaption: true, scrollHint: lang })}
</section>`
}
<section class="fr-mb-6w" aria-labelledby="membres">
<h2 id="membres">${e.membersHeading}</h2>
${table(e.membersCaption(entity.name), [e.address, e.role, e.since, e.changeRole, e.removal], memberRows, { hiddenCaption: true, scrollHint: lang })}
<h3 id="inviter">${e.invite}</h3>
<p>${e.inviteHint}</p>
${column(html`<form method="post" action="${action('/membres')}">
  ${csrfField(csrfToken)}
  ${inputGroup({ id: 'membre-adresse', name: 'email', label: e.emailLabel, hint: e.emailHint, type: 'email', error, attrs: html` required autocomplete="off" spellcheck="false"` })}
  <div class="fr-select-group${roleError ? ' fr-select-group--error' : ''}">
    <label class="fr-label" for="membre-role">${e.roleLabel}<span class="fr-hint-text">${e.roleHint}</span></label>
    <select class="fr-select" id="membre-role" name="role" aria-describedby="membre-role-messages">${roleOptions(view.form?.role ?? 'reader')}</select>
    <div class="fr-messages-group" id="membre-role-messages" aria-live="polite">${roleError ? html`<p class="fr-message fr-message--error">${roleError.message}</p>` : ''}</div>
  </div>
  <button type="submit" class="fr-btn">${e.inviteButton}</button>
</form>`)}
</section>
<section class="fr-mb-6w" aria-labelledby="logo">
<h2 id="logo">${e.logo}</h2>
<p>${e.logoIntro}</p>
${
  view.logo
    ? html`<p><img src="${view.logo}" alt="${e.logoCurrent}" class="jdma-entity-logo"></p>
<form class="fr-mb-3w" method="post" action="${action('/logo/retirer')}">${csrfField(csrfToken)}<button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm">${e.logoRemove}</button></form>`
    : html`<p>${e.logoNone}</p>`
}
${column(html`<form method="post" action="${action('/logo')}" enctype="multipart/form-data">
  ${csrfField(csrfToken)}
  <div class="fr-upload-group fr-mb-2w">
    <label class="fr-label" for="logo-fichier">${e.logoLabel}<span class="fr-hint-text">${e.logoHint}</span></label>
    <input class="fr-upload" type="file" id="logo-fichier" name="logo" accept="image/png,image/jpeg" required>
  </div>
  <button type="submit" class="fr-btn">${e.logoSubmit}</button>
</form>`)}
</section>
<section class="fr-mb-6w" aria-labelledby="cles">
<h2 id="cles">${e.keys}</h2>
<p>${e.keysIntro}</p>
${view.keys.length === 0 ? html`<p>${e.keysNone}</p>` : table(e.keysCaption(entity.name), [e.keyName, e.scope, e.created, e.lastUsed, e.state, e.revoke], keyRows, { hiddenCaption: true, scrollHint: lang })}
<h3 id="nouvelle-cle">${e.newKey}</h3>
${column(html`<form method="post" action="${action('/cles')}">
  ${csrfField(csrfToken)}
  ${inputGroup({ id: 'cle-nom', name: 'name', label: e.keyNameLabel, hint: e.keyNameHint, error, attrs: html` required maxlength="100" autocomplete="off"` })}
  ${
    view.procedures.length > 0 &&
    html`<fieldset class="fr-fieldset${proceduresError ? ' fr-fieldset--error' : ''}" id="cle-demarches" aria-labelledby="cle-demarches-legend cle-demarches-messages">
    <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="cle-demarches-legend">${e.keyProcedures}<span class="fr-hint-text">${e.keyProceduresHint}</span></legend>
    ${view.procedures.map(
      (p, i) => html`<div class="fr-fieldset__element"><div class="fr-checkbox-group">
      <input type="checkbox" id="cle-demarche-${i}" name="procedures" value="${p.id}"${chosen.has(p.id) ? html` checked` : ''}>
      <label class="fr-label" for="cle-demarche-${i}">${p.title}<span class="fr-hint-text">${p.id}</span></label>
    </div></div>`,
    )}
    <div class="fr-messages-group" id="cle-demarches-messages" aria-live="polite">${proceduresError ? html`<p class="fr-message fr-message--error">${proceduresError.message}</p>` : ''}</div>
  </fieldset>`
  }
  <button type="submit" class="fr-btn">${e.createKey}</button>
</form>`)}
</section>`,
  };
}

/** The reply to creating a key: the key itself, this once (the reply is no-store, the key is in no address). */
export function keyCreatedPage(
  lang: Lang,
  o: { entity: { id: string; name: string }; name: string; key: string; publicUrl: string },
): {
  title: string;
  main: SafeHtml;
} {
  const e = E[lang];
  const t = T[lang];
  return {
    title: `${e.keyCreated} – ${o.entity.name}`,
    main: html`<link rel="stylesheet" href="${ADMIN_CSS_PATH}">
<h1 class="fr-mt-4w">${e.keyCreated}</h1>
${alert('warning', e.keyCreatedWarning, { small: false })}
<div class="fr-input-group">
  <label class="fr-label" for="cle">${e.keyField(o.name)}</label>
  <textarea class="fr-input jdma-code" id="cle" rows="2" readonly spellcheck="false">${o.key}</textarea>
</div>
<p class="fr-mb-4w"><button type="button" class="fr-btn fr-btn--sm" data-copy="cle" data-copied="${t.copied}" data-failed="${t.copyFailed}" hidden>${t.copy}<span class="fr-sr-only"> ${e.keyField(o.name)}</span></button>
<span id="cle-statut" class="fr-ml-2w" aria-live="polite"></span></p>
<p>${e.keyUse}</p>
<p><code>curl -H "Authorization: Bearer …" ${o.publicUrl}/api/v1/procedures</code></p>
<ul>
  <li><a class="fr-link" href="/api/docs">${e.apiDocs}</a></li>
  <li><a class="fr-link" href="${withLang(`${entityBase(o.entity.id)}/membres`, lang)}">${e.back}</a></li>
</ul>
<script src="${ADMIN_JS_PATH}" defer></script>`,
  };
}

/** Removing a member is asked twice: this page says what it does, and its button does it. */
export function removalPage(
  lang: Lang,
  o: { csrfToken: string; entity: { id: string; name: string }; email: string },
): {
  title: string;
  main: SafeHtml;
} {
  const e = E[lang];
  const back = withLang(`${entityBase(o.entity.id)}/membres`, lang);
  return {
    title: `${e.confirmRemoval} – ${o.entity.name}`,
    main: html`<h1 class="fr-mt-4w">${e.confirmRemoval}</h1>
<p>${e.confirmText(o.email, o.entity.name)}</p>
<form method="post" action="${withLang(`${entityBase(o.entity.id)}/membres/retirer`, lang)}">
  ${csrfField(o.csrfToken)}
  <input type="hidden" name="email" value="${o.email}">
  <input type="hidden" name="confirm" value="oui">
  <ul class="fr-btns-group fr-btns-group--inline-sm">
    <li><button type="submit" class="fr-btn">${e.confirmButton}</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="${back}">${e.cancel}</a></li>
  </ul>
</form>`,
  };
}
