// The form chunk, loaded by widget/loader.ts on idle or first click: the hot rating of
// SPEC §3, sent the moment it is confirmed, then the optional follow-ups, then thanks. A native
// modal <dialog> gives Escape, the top layer and an inert page behind; the rest is ordinary form
// markup, so arrow keys, Space and screen readers work as they do everywhere.
// No framework: each step is built once as plain DOM (JSX through the small h() below), and the few
// parts that change (the questions a ticked channel opens, the status line) are replaced in place.
// Preact cost 4.6 kB gzip of the 10 kB budget, which then had no room for telling refusals apart,
// the hosted-form fallback and the privacy notice.
/** @jsxRuntime classic */
/** @jsx h */
import {
  ADMIN_CHANNELS,
  LIMITS,
  NO_HELP,
  OTHER_CHANNELS,
  QUESTIONS,
  REACHED_ANSWERS,
  SATISFACTION_ANSWERS,
  SCALE_VALUES,
  type AdminChannel,
  type HelpChannel,
  type SatisfactionAnswer,
  type ScaleValue,
  type Text,
} from '../shared/questionnaire.ts';
import { MESSAGES, type MessageId } from '../shared/messages.ts';
import { emptyDraft, followUpAnswers, toggleChannel } from '../shared/follow-up-draft.ts';
import { SMILEYS } from '../shared/smileys.ts';
import type { FormContext, FormHandle } from './form-context.ts';
import { createTransport, type ReviewRef, type Transport } from './transport.ts';

/** Minified widget/form.css, set by esbuild.config.mjs (absent under unit tests). */
declare const __FORM_CSS__: string;

type Child = Node | string | number | false | null | undefined | Child[];
type Props = Record<string, any>;

/**
 * Builds an element from JSX: functions become listeners (`onChange` → `change`), what the element
 * has as a property is set as one (`checked`, `value`), anything else is an attribute (`class`, `aria-*`).
 */
// biome-ignore lint/correctness/noUnusedVariables: the JSX of this file compiles to h() calls (the jsx pragma at the top).
function h(tag: string | ((props: Props) => Node), props: Props | null, ...children: Child[]): Node {
  if (typeof tag != 'string') return tag({ ...props, children });
  const element = tag == 'svg' || tag == 'path' ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (typeof value == 'function') element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key in element && !(element instanceof SVGElement)) (element as Props)[key] = value;
    else if (value != null) element.setAttribute(key, value);
  }
  element.append(...(children.flat(9 as 1).filter((child) => child != null && child !== false) as string[]));
  return element;
}

declare namespace h {
  namespace JSX {
    type Element = Node;
    type IntrinsicElements = Record<string, Props>;
    interface ElementChildrenAttribute {
      children: unknown;
    }
  }
}

export function mountForm(ctx: FormContext, transport: Transport = createTransport(ctx.collector, ctx.log)): FormHandle {
  // Each widget delivers what earlier pages queued; the queue is emptied before sending, so twice is harmless.
  transport.flush().catch(ctx.log);
  ctx.adopt(typeof __FORM_CSS__ == 'string' ? __FORM_CSS__ : '');
  const { collector, procedure, placement, lang } = ctx;
  const t = (id: MessageId): string => MESSAGES[id][lang];
  const q = (text: Text): string => text[lang];
  const draft = emptyDraft();
  let satisfaction: SatisfactionAnswer | undefined;
  let review: ReviewRef | undefined;
  let busy = false;
  let opener: Element | null = null;

  /** Focus goes to the step's first answer, or to its heading once there is a result to read: the new step is announced. */
  const show = (next: Node): void => {
    step.replaceWith(next);
    step = next as Element;
    step.querySelector<HTMLElement>('input,h3')?.focus();
  };
  // At the top, where the eye is when a step begins; it exists before it speaks, as live regions must.
  const status = (<p role="status" />) as HTMLElement;
  const say = (text: string): void => void (status.textContent = text);

  const sendRating = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    if (!satisfaction) {
      // The form validates itself (novalidate): the browser's own bubble for a required radio is not
      // shown in the dialog (focus only jumped back, in silence). Said in the DSFR's error style, by
      // an alert that exists beforehand, tied to every smiley (aria-describedby), then focused.
      smileys.classList.add('invalid');
      missing.textContent = t('chooseSmiley');
      return smileys.querySelector('input')!.focus();
    }
    busy = true;
    // Emptied first, so that a second « try again in a minute » is announced again.
    say('');
    // SPEC §3: the hot rating is stored now, before any follow-up is even shown.
    const outcome = await transport.rate({ procedure, ...(placement && { placement }), satisfaction, lang });
    busy = false;
    if ('refused' in outcome) {
      // Too many ratings from this connection: the same button sends again, in a minute.
      if (outcome.refused == 'rate_limited') return (say(t('rateLimited')), void (send.textContent = t('retry')));
      // The hosted form would refuse an unknown or archived procedure too: there is no other page to
      // offer. Past the daily count it would refuse this connection too: say what still works.
      return show(
        <div>
          <h3 tabIndex={-1}>{t('notRecorded')}</h3>
          {outcome.refused == 'too_many_ratings' && <p>{t('tooManyRatings')}</p>}
          {!/^(unknown_procedure|procedure_archived|too_many_ratings)$/.test(outcome.refused) && (
            <p>
              <a
                href={`${collector}/avis/${procedure}?${new URLSearchParams({ ...(placement && { placement }), lang, satisfaction })}`}
                target="_blank"
                rel="noopener"
              >
                {t('hostedForm')}
              </a>
            </p>
          )}
        </div>,
      );
    }
    review = outcome;
    const queued = 'queued' in outcome;
    say(t(queued ? 'queued' : 'sent'));
    show(moreStep());
    ctx.emit('jdma:rated', { procedure, placement, satisfaction, queued });
  };

  const finish = async (send: boolean): Promise<void> => {
    const answers = followUpAnswers(draft);
    const answered = send && Object.keys(answers).length > 0;
    if (busy || !review) return;
    let outcome = 'queued' in review ? 'queued' : 'sent';
    if (answered) {
      busy = true;
      outcome = await transport.followUp(review, answers);
      busy = false;
    }
    // The thanks heading says it all when everything was sent; otherwise the status says what was not.
    say(outcome == 'sent' ? '' : t(outcome == 'queued' ? 'queued' : 'sendFailed'));
    show(
      <div>
        <h3 tabIndex={-1}>{t('thanks')}</h3>
      </div>,
    );
    ctx.emit('jdma:completed', { procedure, placement, answered });
  };

  const moreStep = (): Node => {
    const boxes: { channel: HelpChannel; box: HTMLInputElement; opened?: HTMLElement; opens?: () => Node }[] = [];
    /**
     * A help channel's checkbox, and right under it the questions it opens. They are added to a polite
     * live region that was there before: a screen reader says what appeared, without moving the focus
     * off the box just ticked, and it is the very next thing to swipe or Tab to.
     */
    const check = (channel: HelpChannel, opens?: () => Node) => {
      const box = (
        <input
          type="checkbox"
          onChange={() => {
            draft.help_sought = toggleChannel(draft.help_sought, channel, box.checked);
            for (const other of boxes) {
              other.box.checked = draft.help_sought.includes(other.channel);
              if (!other.box.checked) other.opened?.replaceChildren();
              else if (other.opened && !other.opened.firstChild) other.opened.append(other.opens!());
            }
          }}
        />
      ) as HTMLInputElement;
      const opened = opens && ((<div class="opens" aria-live="polite" />) as HTMLElement);
      boxes.push({ channel, box, opened, opens });
      return [
        // biome-ignore lint/a11y/noLabelWithoutControl: the control is `box`, an <input> built above.
        <label class="check">
          {box}
          {q(QUESTIONS.help_sought.answers[channel])}
        </label>,
        opened,
      ];
    };
    const reached = (channel: AdminChannel) => () => {
      const quality = (<div />) as HTMLElement;
      const showQuality = (): void =>
        quality.replaceChildren(
          ...(draft.help_reached[channel] == 'yes'
            ? [
                <Scale
                  name={`quality-${channel}`}
                  legend={q(QUESTIONS.help_quality.question)}
                  low={q(QUESTIONS.help_quality.low)}
                  high={q(QUESTIONS.help_quality.high)}
                  value={draft.help_quality[channel]}
                  onChange={(value: ScaleValue) => (draft.help_quality[channel] = value)}
                />,
              ]
            : []),
        );
      showQuality();
      return (
        <fieldset>
          {/* The channel's name, for the screen reader that lands in its questions; the eye sees the box above. */}
          <legend class="vh">{q(QUESTIONS.help_sought.answers[channel])}</legend>
          <fieldset>
            <legend>{q(QUESTIONS.help_reached.question)}</legend>
            <div class="tiles">
              {REACHED_ANSWERS.map((answer) => (
                <Choice
                  name={`reached-${channel}`}
                  checked={draft.help_reached[channel] == answer}
                  onChange={() => ((draft.help_reached[channel] = answer), showQuality())}
                >
                  {q(QUESTIONS.help_reached.answers[answer])}
                </Choice>
              ))}
            </div>
          </fieldset>
          {quality}
        </fieldset>
      );
    };
    return (
      <form onSubmit={(event: Event) => (event.preventDefault(), finish(true))}>
        <h3 tabIndex={-1}>{t('more')}</h3>
        <Scale
          name="clarity"
          legend={q(QUESTIONS.clarity.question)}
          low={q(QUESTIONS.clarity.low)}
          high={q(QUESTIONS.clarity.high)}
          value={draft.clarity}
          onChange={(clarity: ScaleValue) => (draft.clarity = clarity)}
        />
        <fieldset>
          <legend>{q(QUESTIONS.help_sought.question)}</legend>
          <p class="hint">{q(QUESTIONS.help_sought.hint)}</p>
          <fieldset class="group">
            <legend>{q(QUESTIONS.help_sought.adminGroup)}</legend>
            {ADMIN_CHANNELS.map((channel) => check(channel, reached(channel)))}
          </fieldset>
          <fieldset class="group">
            <legend>{q(QUESTIONS.help_sought.otherGroup)}</legend>
            {OTHER_CHANNELS.map((channel) =>
              check(
                channel,
                channel == 'other'
                  ? () => (
                      <div class="field">
                        <label for="help-other">{q(QUESTIONS.help_other.question)}</label>
                        <input
                          id="help-other"
                          type="text"
                          maxLength={LIMITS.helpOther}
                          value={draft.help_other}
                          onInput={(event: Event) => (draft.help_other = (event.target as HTMLInputElement).value)}
                        />
                      </div>
                    )
                  : undefined,
              ),
            )}
          </fieldset>
          {check(NO_HELP)}
        </fieldset>
        <div class="field">
          <label for="comment">{q(QUESTIONS.comment.question)}</label>
          <p id="comment-hint" class="hint">
            {q(QUESTIONS.comment.hint)}
          </p>
          <textarea
            id="comment"
            rows={4}
            maxLength={LIMITS.comment}
            aria-describedby="comment-hint"
            onInput={(event: Event) => (draft.comment = (event.target as HTMLTextAreaElement).value)}
          />
        </div>
        <div class="tiles">
          <button type="submit" class="primary">
            {t('sendAnswers')}
          </button>
          <button type="button" onClick={() => finish(false)}>
            {t('skip')}
          </button>
        </div>
      </form>
    );
  };

  const send = (
    <button type="submit" class="primary">
      {t('sendRating')}
    </button>
  ) as HTMLElement;
  const missing = (<p id="smiley-error" class="error" role="alert" />) as HTMLElement;
  const smileys = (
    <fieldset>
      <legend>{q(QUESTIONS.satisfaction.question)}</legend>
      {missing}
      <div class="tiles">
        {SATISFACTION_ANSWERS.map((answer) => (
          <Choice
            name="satisfaction"
            required
            describedby="smiley-error"
            onChange={() => ((satisfaction = answer), smileys.classList.remove('invalid'), (missing.textContent = ''))}
          >
            <svg viewBox="0 0 40 40" aria-hidden="true">
              <path d={SMILEYS[answer]} />
            </svg>
            {q(QUESTIONS.satisfaction.answers[answer])}
          </Choice>
        ))}
      </div>
    </fieldset>
  ) as HTMLElement;
  let step = (
    <form noValidate onSubmit={sendRating}>
      {smileys}
      {send}
    </form>
  ) as Element;

  const dialog =
    // `lang`: the dialog may speak English on a French page (data-lang), and screen readers must know (RGAA 8.7).
    (
      <dialog
        lang={lang}
        aria-labelledby="title"
        onClose={() => opener instanceof HTMLElement && opener.focus()}
        onKeyDown={(event: KeyboardEvent) => {
          // Keeps Tab inside the dialog: a native modal lets it go on to the browser's own controls. Every
          // step starts with « Fermer » and ends with the privacy link, so those two are the first and last stops.
          const stops = dialog.querySelectorAll<HTMLElement>('button,a');
          const [first, last] = [stops[0]!, stops[stops.length - 1]!];
          if (event.key == 'Tab' && event.target == (event.shiftKey ? first : last)) {
            event.preventDefault();
            (event.shiftKey ? last : first).focus();
          }
        }}
      >
        <div class="head">
          <h2 id="title">{t('button')}</h2>
          <button type="button" onClick={() => dialog.close()}>
            {t('close')}
          </button>
        </div>
        <div class="body">
          {status}
          {step}
          <p class="hint">
            <a href={`${collector}/confidentialite?lang=${lang}`} target="_blank" rel="noopener">
              {t('anonymous')}
            </a>
          </p>
        </div>
      </dialog>
    ) as HTMLDialogElement;
  ctx.box.append(dialog);
  /** Gives the stylesheet the visual viewport's rectangle, which the dialog is centred in (widget/form.css). */
  const fitToViewport = (): void => {
    const view = window.visualViewport;
    if (!view) return;
    const { offsetLeft: x, offsetTop: y, width: w, height: h } = view;
    for (const [name, value] of Object.entries({ x, y, w, h })) dialog.style.setProperty(`--v${name}`, `${value}px`);
  };
  // Pinch zoom, scrolling and the on-screen keyboard move the visual viewport.
  window.visualViewport?.addEventListener('resize', fitToViewport);
  window.visualViewport?.addEventListener('scroll', fitToViewport);

  return {
    open(from) {
      if (dialog.open) return;
      opener = from;
      fitToViewport();
      dialog.showModal();
      step.querySelector<HTMLElement>('input,h3')?.focus();
    },
  };
}

/** One radio of a group, drawn as a tile: the input stays focusable and arrow keys move within the group. */
function Choice(props: {
  name: string;
  checked?: boolean;
  onChange: () => void;
  required?: boolean;
  describedby?: string;
  children: Child;
}) {
  return (
    <label class="choice">
      <input
        type="radio"
        class="vh"
        name={props.name}
        checked={props.checked}
        onChange={props.onChange}
        required={props.required}
        aria-describedby={props.describedby}
      />
      <span class="tile">{props.children}</span>
    </label>
  );
}

/**
 * A 1..5 scale of the questionnaire. Its ends' names sit on the row below, under the end tiles, and describe the
 * end radios: inside the tiles they would widen them past what five tiles in a row on a phone allow.
 */
function Scale(props: {
  name: string;
  legend: string;
  low: string;
  high: string;
  value?: ScaleValue;
  onChange: (value: ScaleValue) => void;
}) {
  const { name } = props;
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <div class="scale">
        {SCALE_VALUES.map((value) => (
          <Choice
            name={name}
            checked={props.value == value}
            onChange={() => props.onChange(value)}
            describedby={value == 1 ? `${name}-low` : value == 5 ? `${name}-high` : undefined}
          >
            {value}
          </Choice>
        ))}
        <small id={`${name}-low`}>{props.low}</small>
        <small id={`${name}-high`}>{props.high}</small>
      </div>
    </fieldset>
  );
}
