// The member's mail preferences (/espace/preferences), one form per entity, and the pages of the
// one-click unsubscribe link (/espace/desabonnement): a confirmation with its button, then what
// was stopped. Texts in French and English, markup through the page kit.
import { withLang } from '../../../shared/languages.ts';
import type { Lang } from '../../../shared/questionnaire.ts';
import { DIGEST_FREQUENCIES, type DigestFrequency, type MemberChoices } from '../../agency/mail-preferences.ts';
import type { MemberRole, PreferenceKind } from '../../store/store.ts';
import { colon } from '../kit/format.ts';
import { html, type SafeHtml } from '../html.ts';
import { alert, choice, csrfField, fieldset } from '../kit/dsfr.ts';

export const PREFERENCES_TEXTS = {
  fr: {
    title: 'Mes courriels',
    intro:
      'Choisissez, pour chaque entité dont vous êtes membre, les courriels que le service vous envoie. Les liens de connexion et les invitations sont toujours envoyés. Chaque alerte et chaque synthèse porte un lien pour s’en désabonner.',
    newReviews: 'Alerte «\u00a0nouveaux avis\u00a0»',
    newReviewsHint:
      'Un courriel quelques minutes après le premier nouvel avis (au plus tard deux heures après), avec le nombre de nouveaux avis et un lien\u00a0: jamais le texte d’un commentaire.',
    noProcedure: 'Cette entité n’a pas encore de démarche.',
    otherAlerts: 'Autres alertes',
    integrationBroken: 'Intégration cassée\u00a0: des notes sont refusées sur une démarche qui n’en refusait pas la veille',
    levelChange: 'Changement de niveau\u00a0: la satisfaction des 30 derniers jours change de niveau',
    digest: 'Synthèse',
    digestHint: 'Les avis, la note, son niveau et sa tendance de chaque démarche, et les notes refusées.',
    frequencies: {
      none: 'Aucune',
      daily: 'Chaque jour',
      weekly: 'Chaque semaine (le lundi)',
      monthly: 'Chaque mois (le premier lundi)',
    } satisfies Record<DigestFrequency, string>,
    save: 'Enregistrer',
    roles: { admin: 'administrateur', reader: 'lecteur' } satisfies Record<MemberRole, string>,
    saved: 'Vos choix sont enregistrés.',
    unchanged: 'Rien n’a changé.',
    errorTitle: 'Ces choix n’ont pas été enregistrés',
    badDigest: 'Choisissez une fréquence de synthèse\u00a0: aucune, chaque jour, chaque semaine ou chaque mois.',
    badProcedure: 'Cochez des démarches de cette entité.',
    invalidLink:
      'Ce lien de désabonnement est incomplet ou n’a pas été fait par ce service\u00a0: utilisez le lien du courriel lui-même, ou connectez-vous et ouvrez «\u00a0Mes courriels\u00a0».',
    unsubscribeTitle: 'Se désabonner',
    unsubscribeAsk: (what: string, entity: string) => `Vous ne recevrez plus ${what} pour ${entity}.`,
    unsubscribeButton: 'Confirmer le désabonnement',
    unsubscribedTitle: 'Désabonnement enregistré',
    unsubscribed: (what: string, entity: string) => `Vous ne recevrez plus ${what} pour ${entity}.`,
    changeAll: 'Pour choisir tous vos courriels, connectez-vous et ouvrez «\u00a0Mes courriels\u00a0».',
    kinds: {
      new_reviews: (procedure: string) => `l’alerte «\u00a0nouveaux avis\u00a0» de ${procedure}`,
      integration_broken: () => 'l’alerte «\u00a0intégration cassée\u00a0»',
      level_change: () => 'l’alerte «\u00a0changement de niveau\u00a0»',
      digest: () => 'la synthèse',
    } satisfies Record<PreferenceKind, (procedure: string) => string>,
  },
  en: {
    title: 'My e-mails',
    intro:
      'Choose, for each entity you are a member of, the e-mails the service sends you. Sign-in links and invitations are always sent. Every alert and digest carries a link to unsubscribe from it.',
    newReviews: '“New reviews” alert',
    newReviewsHint:
      'One e-mail a few minutes after the first new review (two hours after it at most), with the number of new reviews and a link: never a comment’s text.',
    noProcedure: 'This entity has no procedure yet.',
    otherAlerts: 'Other alerts',
    integrationBroken: 'Broken integration: ratings are refused on a procedure that refused none the day before',
    levelChange: 'Level change: the satisfaction of the last 30 days changes level',
    digest: 'Digest',
    digestHint: 'Each procedure’s reviews, score, its level and trend, and refused ratings.',
    frequencies: {
      none: 'None',
      daily: 'Every day',
      weekly: 'Every week (on Monday)',
      monthly: 'Every month (on the first Monday)',
    } satisfies Record<DigestFrequency, string>,
    save: 'Save',
    roles: { admin: 'admin', reader: 'reader' } satisfies Record<MemberRole, string>,
    saved: 'Your choices are saved.',
    unchanged: 'Nothing changed.',
    errorTitle: 'These choices were not saved',
    badDigest: 'Choose a digest frequency: none, every day, every week or every month.',
    badProcedure: 'Tick procedures of this entity.',
    invalidLink:
      'This unsubscribe link is incomplete or was not made by this service: use the link of the mail itself, or sign in and open “My e-mails”.',
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeAsk: (what: string, entity: string) => `You will no longer receive ${what} for ${entity}.`,
    unsubscribeButton: 'Confirm',
    unsubscribedTitle: 'Unsubscribed',
    unsubscribed: (what: string, entity: string) => `You will no longer receive ${what} for ${entity}.`,
    changeAll: 'To choose all your e-mails, sign in and open “My e-mails”.',
    kinds: {
      new_reviews: (procedure: string) => `the “new reviews” alert of ${procedure}`,
      integration_broken: () => 'the “broken integration” alert',
      level_change: () => 'the “level change” alert',
      digest: () => 'the digest',
    } satisfies Record<PreferenceKind, (procedure: string) => string>,
  },
};

export interface EntityPreferences {
  entity: { id: string; name: string };
  role: MemberRole;
  procedures: { id: string; title: string }[];
  choices: MemberChoices;
}

function entityForm(lang: Lang, csrfToken: string, o: EntityPreferences, error: string | undefined): SafeHtml {
  const t = PREFERENCES_TEXTS[lang];
  const id = (suffix: string) => `pref-${o.entity.id}-${suffix}`;
  const headingId = id('titre');
  return html`<section class="fr-mb-6w" aria-labelledby="${headingId}">
<h2 id="${headingId}">${o.entity.name} <span class="fr-text--md fr-text--regular">(${t.roles[o.role]})</span></h2>
${error ? alert('error', error, { title: t.errorTitle, titleLevel: 3, role: 'alert' }) : ''}
<form method="post" action="${withLang('/espace/preferences', lang)}">
  ${csrfField(csrfToken)}
  <input type="hidden" name="entity" value="${o.entity.id}">
  ${
    o.procedures.length === 0
      ? html`<p><strong>${t.newReviews}</strong>${colon(lang)}${t.noProcedure}</p>`
      : fieldset(
          t.newReviews,
          o.procedures.map((procedure) =>
            choice({
              type: 'checkbox',
              id: id(`avis-${procedure.id}`),
              name: 'new_reviews',
              value: procedure.id,
              label: procedure.title,
              checked: o.choices.newReviews.has(procedure.id),
            }),
          ),
          t.newReviewsHint,
        )
  }
  ${fieldset(t.otherAlerts, [
    choice({
      type: 'checkbox',
      id: id('integration'),
      name: 'integration_broken',
      value: 'on',
      label: t.integrationBroken,
      checked: o.choices.integrationBroken,
    }),
    choice({ type: 'checkbox', id: id('niveau'), name: 'level_change', value: 'on', label: t.levelChange, checked: o.choices.levelChange }),
  ])}
  ${fieldset(
    t.digest,
    DIGEST_FREQUENCIES.map((frequency) =>
      choice({
        type: 'radio',
        id: id(`synthese-${frequency}`),
        name: 'digest',
        value: frequency,
        label: t.frequencies[frequency],
        checked: o.choices.digest === frequency,
      }),
    ),
    t.digestHint,
  )}
  <button type="submit" class="fr-btn">${t.save}<span class="fr-sr-only"> (${o.entity.name})</span></button>
</form>
</section>`;
}

export function preferencesPage(o: {
  lang: Lang;
  csrfToken: string;
  entities: EntityPreferences[];
  done: 'saved' | 'unchanged' | undefined;
  /** The entity whose form was refused, and why. */
  error?: { entityId: string; message: string } | undefined;
}): { title: string; main: SafeHtml } {
  const t = PREFERENCES_TEXTS[o.lang];
  return {
    title: t.title,
    main: html`<h1 class="fr-mt-4w">${t.title}</h1>
${o.done ? alert('success', o.done === 'saved' ? t.saved : t.unchanged, { role: 'status' }) : ''}
<p>${t.intro}</p>
${o.entities.map((entity) => entityForm(o.lang, o.csrfToken, entity, o.error?.entityId === entity.entity.id ? o.error.message : undefined))}`,
  };
}

/** The words for what an unsubscribe link stops, in a sentence. */
export const unsubscribeWhat = (lang: Lang, kind: PreferenceKind, procedure: string): string =>
  PREFERENCES_TEXTS[lang].kinds[kind](procedure);

/** What a followed link shows: a button, since a GET changes nothing (mail scanners follow links). */
export function unsubscribeConfirmPage(lang: Lang, o: { what: string; entity: string; action: string }): { title: string; main: SafeHtml } {
  const t = PREFERENCES_TEXTS[lang];
  return {
    title: t.unsubscribeTitle,
    main: html`<h1 class="fr-mt-4w">${t.unsubscribeTitle}</h1>
<p>${t.unsubscribeAsk(o.what, o.entity)}</p>
<form method="post" action="${o.action}">
  <input type="hidden" name="List-Unsubscribe" value="One-Click">
  <button type="submit" class="fr-btn">${t.unsubscribeButton}</button>
</form>
<p class="fr-mt-4w">${t.changeAll}</p>`,
  };
}

export function unsubscribedPage(lang: Lang, o: { what: string; entity: string }): { title: string; main: SafeHtml } {
  const t = PREFERENCES_TEXTS[lang];
  return {
    title: t.unsubscribedTitle,
    main: html`<h1 class="fr-mt-4w">${t.unsubscribedTitle}</h1>
${alert('success', t.unsubscribed(o.what, o.entity), { role: 'status' })}
<p>${t.changeAll}</p>`,
  };
}
