// @vitest-environment happy-dom
// The form's logic in a DOM (happy-dom): which questions show, what is sent, and when. The real
// browser, the built files and the real collector are covered by test/e2e/widget-*.test.ts.
import { beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_FORM, type FormConfig } from '../../shared/form-config.ts';
import type { FollowUpAnswers, HotRating, WidgetLang } from '../../shared/questionnaire.ts';
import type { FormContext } from '../../widget/form-context.ts';
import { mountForm } from '../../widget/form.tsx';
import type { ReviewRef, Transport } from '../../widget/transport.ts';

interface Sent {
  ratings: HotRating[];
  followUps: { review: ReviewRef; answers: FollowUpAnswers }[];
  events: { type: string; detail: Record<string, unknown> }[];
}

let root: ShadowRoot;
let sent: Sent;

function mount(
  outcome: Awaited<ReturnType<Transport['rate']>> = { review: { id: 7, token: 'secret', expires_at: '' } },
  lang: WidgetLang = 'fr',
  form: FormConfig = DEFAULT_FORM,
) {
  const host = document.createElement('div');
  document.body.replaceChildren(host);
  root = host.attachShadow({ mode: 'open' });
  const box = document.createElement('div');
  root.append(box);
  sent = { ratings: [], followUps: [], events: [] };
  const transport: Transport = {
    rate: async (rating) => (sent.ratings.push(rating), outcome),
    followUp: async (review, answers) => (sent.followUps.push({ review, answers }), 'sent'),
    flush: async () => {},
  };
  const ctx: FormContext = {
    collector: 'http://collector.test',
    root,
    box,
    procedure: 'demo',
    placement: 'site',
    lang,
    form,
    adopt: () => {},
    log: () => {},
    emit: (type, detail) => void sent.events.push({ type, detail }),
  };
  mountForm(ctx, transport).open(null);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The control whose label reads `text` (the widget labels every input by wrapping it). */
function control(text: string, scope: ParentNode = root): HTMLInputElement {
  const label = [...scope.querySelectorAll('label')].find((candidate) => candidate.textContent?.trim() === text);
  if (!label) throw new Error(`no control labelled "${text}"`);
  return label.querySelector('input')!;
}

/** The group (fieldset) whose legend reads `text`. */
function group(text: string): HTMLFieldSetElement {
  const legend = [...root.querySelectorAll('legend')].find((candidate) => candidate.textContent?.trim() === text);
  if (!legend) throw new Error(`no group "${text}"`);
  return legend.parentElement as HTMLFieldSetElement;
}

const button = (text: string): HTMLButtonElement => {
  const found = [...root.querySelectorAll('button')].find((candidate) => candidate.textContent?.trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
};
const legends = () => [...root.querySelectorAll('legend')].map((legend) => legend.textContent?.trim());
const status = () => root.querySelector('[role="status"]')!.textContent;

async function rate(answer = 'Très bien') {
  control(answer).click();
  await settle();
  button('Envoyer mon avis').click();
  await settle();
  await settle();
}

async function tick(text: string, scope?: ParentNode) {
  control(text, scope).click();
  await settle();
}

beforeEach(() => mount());

describe('hot rating (SPEC §3)', () => {
  test('the three smileys are one radio group under the question, in the order bad, medium, good', () => {
    const smileys = group('De façon générale, comment ça s’est passé\u00a0?');
    const labels = [...smileys.querySelectorAll('label')].map((label) => label.textContent?.trim());
    expect(labels).toEqual(['Pas bien', 'Moyen', 'Très bien']);
    const names = new Set(
      [...smileys.querySelectorAll('input')].map((input) => `${(input as HTMLInputElement).type}:${(input as HTMLInputElement).name}`),
    );
    expect(names).toEqual(new Set(['radio:satisfaction']));
  });

  test('« Envoyer mon avis » without a smiley sends nothing: the smileys are required, the browser says so', async () => {
    expect([...group('De façon générale, comment ça s’est passé\u00a0?').querySelectorAll('input')].every((input) => input.required)).toBe(
      true,
    );
    button('Envoyer mon avis').click();
    await settle();
    expect(sent.ratings).toEqual([]);
    expect(legends()).toEqual(['De façon générale, comment ça s’est passé\u00a0?']);
  });

  test('the hot rating is sent the moment it is confirmed, before any follow-up is shown', async () => {
    expect(legends()).not.toContain('Qu’avez-vous pensé des informations et des instructions fournies\u00a0?');
    await rate('Moyen');
    expect(sent.ratings).toEqual([{ procedure: 'demo', placement: 'site', satisfaction: 'medium', lang: 'fr' }]);
    expect(sent.followUps).toEqual([]);
    expect(legends()).toContain('Qu’avez-vous pensé des informations et des instructions fournies\u00a0?');
    expect(status()).toBe('Merci, votre avis a été envoyé.');
    expect(sent.events).toEqual([
      { type: 'jdma:rated', detail: { procedure: 'demo', placement: 'site', satisfaction: 'medium', queued: false } },
    ]);
  });

  test.each([
    ['origin_not_allowed', 'http://collector.test/avis/demo?placement=site&lang=fr&satisfaction=good'],
    ['unknown_placement', 'http://collector.test/avis/demo?placement=site&lang=fr&satisfaction=good'],
    ['', 'http://collector.test/avis/demo?placement=site&lang=fr&satisfaction=good'],
    ['unknown_procedure', null],
    ['procedure_archived', null],
  ])(
    'a rating refused with "%s" ends with « not recorded from this page » and the hosted form when it can take the rating',
    async (code, fallback) => {
      mount({ refused: code });
      await rate();
      expect(root.querySelector('h3')?.textContent).toBe('Votre avis n’a pas pu être enregistré depuis cette page.');
      expect(root.activeElement).toBe(root.querySelector('h3'));
      const link = [...root.querySelectorAll('a')].find((a) => a.textContent == 'Donner mon avis dans un nouvel onglet');
      expect(link?.href ?? null).toBe(fallback);
      if (link) expect(link.target).toBe('_blank');
      expect(legends()).toEqual([]);
      expect(status()).toBe('');
      expect(sent.events).toEqual([]);
    },
  );

  test('too many ratings: the user is asked to try again in a minute, and the same button, now « Réessayer », sends again', async () => {
    mount({ refused: 'rate_limited' });
    await rate('Moyen');
    expect(status()).toBe('Trop d’avis ont été envoyés depuis votre connexion\u00a0: réessayez dans une minute.');
    expect(legends()).toEqual(['De façon générale, comment ça s’est passé\u00a0?']);
    button('Réessayer').click();
    await settle();
    expect(sent.ratings).toHaveLength(2);
    expect(sent.ratings[1]).toEqual({ procedure: 'demo', placement: 'site', satisfaction: 'medium', lang: 'fr' });
  });

  test('a rating queued for later still offers the follow-ups, and says it will be sent on the next visit', async () => {
    mount({ queued: 'k1' });
    await rate();
    expect(status()).toBe('Hors connexion\u00a0: envoi à votre prochaine visite.');
    await tick('Par chat');
    button('Envoyer mes réponses').click();
    await settle();
    expect(sent.followUps).toEqual([{ review: { queued: 'k1' }, answers: { help_sought: ['chat'] } }]);
  });
});

describe('follow-ups', () => {
  beforeEach(async () => {
    await rate();
  });

  test('« Je n’ai pas eu besoin d’aide » is exclusive: ticking it unticks the channels, ticking a channel unticks it', async () => {
    await tick('Par téléphone');
    await tick('Une association');
    await tick('Je n’ai pas eu besoin d’aide');
    expect(control('Par téléphone').checked).toBe(false);
    expect(control('Une association').checked).toBe(false);
    expect(control('Je n’ai pas eu besoin d’aide').checked).toBe(true);
    await tick('Par e-mail');
    expect(control('Je n’ai pas eu besoin d’aide').checked).toBe(false);
    expect(control('Par e-mail').checked).toBe(true);
  });

  test('« Avez-vous réussi à joindre l’administration ? » is asked once per administration channel ticked, and only those', async () => {
    const reachedGroups = () => legends().filter((legend) => legend === 'Avez-vous réussi à joindre l’administration\u00a0?').length;
    expect(reachedGroups()).toBe(0);
    await tick('Au guichet');
    await tick('Une personne proche');
    await tick('Par chat');
    expect(reachedGroups()).toBe(2);
    expect(legends()).toEqual(expect.arrayContaining(['Au guichet', 'Par chat']));
    expect(legends()).not.toContain('Une personne proche');
    await tick('Au guichet');
    expect(reachedGroups()).toBe(1);
  });

  test('the quality of the help is asked for a channel only once it was reached', async () => {
    await tick('Par téléphone');
    const quality = 'Comment évaluez-vous la qualité de l’aide obtenue\u00a0?';
    expect(legends()).not.toContain(quality);
    await tick('Non', group('Par téléphone'));
    expect(legends()).not.toContain(quality);
    await tick('Oui', group('Par téléphone'));
    expect(legends()).toContain(quality);
  });

  test('« Précisez » appears only when « Autre » is ticked, right after it', async () => {
    const hasOther = () => [...root.querySelectorAll('label')].some((label) => label.textContent === 'Précisez');
    expect(hasOther()).toBe(false);
    await tick('Autre');
    expect(hasOther()).toBe(true);
    expect(control('Autre').closest('label')!.nextElementSibling!.querySelector('label')!.textContent).toBe('Précisez');
  });

  test('the questions a ticked channel opens come right under it, in a polite live region that was there before', async () => {
    const region = control('Par téléphone').closest('label')!.nextElementSibling!;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.children).toHaveLength(0);
    await tick('Par téléphone');
    expect(region.contains(group('Par téléphone'))).toBe(true);
    expect(region.contains(group('Avez-vous réussi à joindre l’administration\u00a0?'))).toBe(true);
    await tick('Oui', group('Par téléphone'));
    expect(region.contains(group('Comment évaluez-vous la qualité de l’aide obtenue\u00a0?'))).toBe(true);
  });

  test('the status « sent » is at the top of the follow-up step, before its heading', () => {
    const status = root.querySelector('[role="status"]')!;
    expect(status.textContent).toBe('Merci, votre avis a été envoyé.');
    expect(status.compareDocumentPosition(root.querySelector('h3')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  test('« Envoyer mes réponses » sends exactly the API’s payload, without answers to questions no longer shown', async () => {
    await tick('4', group('Qu’avez-vous pensé des informations et des instructions fournies\u00a0?'));
    await tick('Par téléphone');
    await tick('Oui', group('Par téléphone'));
    await tick('2', group('Comment évaluez-vous la qualité de l’aide obtenue\u00a0?'));
    await tick('Par e-mail');
    await tick('Non', group('Par e-mail'));
    await tick('Par e-mail'); // unticked again: its answer must not travel
    const comment = root.querySelector('textarea')!;
    comment.value = ' Le formulaire était clair. ';
    comment.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    button('Envoyer mes réponses').click();
    await settle();
    expect(sent.followUps).toEqual([
      {
        review: { review: { id: 7, token: 'secret', expires_at: '' } },
        answers: {
          clarity: 4,
          help_sought: ['phone'],
          help_reached: { phone: 'yes' },
          help_quality: { phone: 2 },
          comment: 'Le formulaire était clair.',
        },
      },
    ]);
    // Thanks once: the heading, not the status line again.
    expect(root.querySelector('h3')?.textContent).toBe('Merci pour votre aide\u00a0!');
    expect(status()).toBe('');
    expect(sent.events.at(-1)).toEqual({ type: 'jdma:completed', detail: { procedure: 'demo', placement: 'site', answered: true } });
  });

  test('« Passer ces questions » sends nothing more and thanks the user', async () => {
    await tick('Par chat');
    button('Passer ces questions').click();
    await settle();
    expect(sent.followUps).toEqual([]);
    expect(root.querySelector('h3')?.textContent).toBe('Merci pour votre aide\u00a0!');
    expect(sent.events.at(-1)).toEqual({ type: 'jdma:completed', detail: { procedure: 'demo', placement: 'site', answered: false } });
  });
});

test('in English, every text comes from the questionnaire’s English side', async () => {
  mount(undefined, 'en');
  expect(legends()).toEqual(['Overall, how was your experience?']);
  control('Very good').click();
  await settle();
  button('Send my feedback').click();
  await settle();
  await settle();
  expect(sent.ratings).toEqual([{ procedure: 'demo', placement: 'site', satisfaction: 'good', lang: 'en' }]);
  expect(legends()).toContain('During the procedure, did you try to get help in any of the following ways?');
});

test('in Arabic the dialog is right to left and speaks Arabic; in German it stays left to right', async () => {
  mount(undefined, 'ar');
  const dialog = root.querySelector('dialog')!;
  expect([dialog.lang, dialog.dir]).toEqual(['ar', 'rtl']);
  expect(legends()).toEqual(['بشكل عام، كيف كانت تجربتكم؟']);
  control('متوسطة').click();
  await settle();
  button('إرسال رأيي').click();
  await settle();
  await settle();
  expect(sent.ratings).toEqual([{ procedure: 'demo', placement: 'site', satisfaction: 'medium', lang: 'ar' }]);
  expect(status()).toBe('شكرًا لكم، لقد أُرسل رأيكم.');
  mount(undefined, 'de');
  expect([root.querySelector('dialog')!.lang, root.querySelector('dialog')!.dir]).toEqual(['de', 'ltr']);
  expect(legends()).toEqual(['Wie ist es insgesamt gelaufen?']);
});

describe('a published form (SPEC §3 "Customisation")', () => {
  const published: FormConfig = {
    version: 3,
    hidden: ['comment'],
    labels: {
      'clarity.question': 'Les consignes étaient-elles claires\u00a0?',
      'help_sought.answers.phone': 'Au 3939',
      'satisfaction.question': 'Jamais affiché',
    },
  };

  test('its hidden step is not shown, its labels replace the defaults, never the satisfaction question; the rating names its version', async () => {
    mount(undefined, 'fr', published);
    await settle();
    expect(root.querySelector('legend')?.textContent).toBe('De façon générale, comment ça s’est passé\u00a0?');
    await rate('Très bien');
    expect(sent.ratings).toEqual([{ procedure: 'demo', placement: 'site', satisfaction: 'good', lang: 'fr', form_version: 3 }]);
    expect(group('Les consignes étaient-elles claires\u00a0?')).toBeTruthy();
    expect(control('Au 3939')).toBeTruthy();
    expect(root.querySelector('textarea')).toBeNull();
  });

  test('with every follow-up step hidden, the rating is followed by the thanks', async () => {
    mount(undefined, 'fr', { version: 1, hidden: ['clarity', 'help', 'comment'], labels: {} });
    await settle();
    await rate('Moyen');
    expect(root.querySelector('h3')?.textContent).toBe('Merci pour votre aide\u00a0!');
  });
});
