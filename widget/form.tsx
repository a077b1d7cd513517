// The form chunk, loaded by widget/loader.ts on idle or first click: the hot rating of
// SPEC §3, sent the moment it is confirmed, then the optional follow-ups, then thanks. A native
// modal <dialog> gives Escape, the top layer and an inert page behind; the rest is ordinary form
// markup, so arrow keys, Space and screen readers work as they do everywhere.
// Preact components: the form is about to grow (customisation, a second form kind, right-to-left
// text), where components pay. Preact costs about 4.5 kB gzip of the 12 kB budget (loader + one
// language's chunk ≤ 12,288 B, STYLE rule 6); the loader stays framework-free. The form's state lives
// in one class component, not hooks: preact/hooks cost 940 B gzip more, and put the Arabic chunk
// 457 B over the budget.
/** @jsxRuntime classic */
/** @jsx h */
// biome-ignore lint/correctness/noUnusedImports: the JSX of this file compiles to h() calls (the jsx pragma above).
import { Component, h, render, type ComponentChildren } from 'preact';
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
  dirOf,
  type WidgetText,
} from '../shared/questionnaire.ts';
import { MESSAGES, type MessageId } from '../shared/messages.ts';
import { emptyDraft, followUpAnswers, toggleChannel, type FollowUpDraft } from '../shared/follow-up-draft.ts';
import { SMILEYS } from '../shared/smileys.ts';
import { DEFAULT_FORM, labelOverrides, type FormConfig } from '../shared/form-config.ts';
import type { FormContext, FormHandle } from './form-context.ts';
import { createTransport, type ReviewRef, type Transport } from './transport.ts';

/** Minified widget/form.css, set by esbuild.config.mjs (absent under unit tests). */
declare const __FORM_CSS__: string;

/** What the dialog shows under its status line: one step at a time. */
type Step = { is: 'rate' } | { is: 'more' } | { is: 'thanks' } | { is: 'refused'; code: string };

export function mountForm(ctx: FormContext, transport: Transport = createTransport(ctx.collector, ctx.log)): FormHandle {
  // Each widget delivers what earlier pages queued; the queue is emptied before sending, so twice is harmless.
  transport.flush().catch(ctx.log);
  ctx.adopt(typeof __FORM_CSS__ == 'string' ? __FORM_CSS__ : '');
  const dialog = { current: null as HTMLDialogElement | null };
  let step: HTMLElement | null = null;
  let opener: Element | null = null;
  /** Focus goes to the step's first answer, or to its heading once there is a result to read: the new step is announced. */
  const focusStep = (): void => step?.querySelector<HTMLElement>('input,h3')?.focus();
  /** Gives the stylesheet the visual viewport's rectangle, which the dialog is centred in (widget/form.css). */
  const fitToViewport = (): void => {
    const view = window.visualViewport;
    if (!view || !dialog.current) return;
    const { offsetLeft: x, offsetTop: y, width: w, height: h } = view;
    for (const [name, value] of Object.entries({ x, y, w, h })) dialog.current.style.setProperty(`--v${name}`, `${value}px`);
  };
  // Preact owns what it renders into: a container of its own, not the box that holds the loader's button.
  const container = document.createElement('div');
  ctx.box.append(container);
  const draw = (form: FormConfig): void =>
    render(
      <Form
        ctx={ctx}
        form={form}
        transport={transport}
        dialog={dialog}
        stepRef={(element) => void (step = element)}
        focusStep={focusStep}
        onClose={() => opener instanceof HTMLElement && opener.focus()}
      />,
      container,
    );
  draw(DEFAULT_FORM);
  // The procedure's published form (SPEC §3 "Customisation"), asked for as the chunk loads; the
  // default form whenever it cannot be had in 3 s: the button never waits on it for longer.
  const form = (
    ctx.form
      ? Promise.resolve(ctx.form)
      : fetch(`${ctx.collector}/api/v1/forms/${ctx.procedure}?lang=${ctx.lang}`, { signal: AbortSignal.timeout(3e3) }).then((reply) =>
          reply.ok ? (reply.json() as Promise<FormConfig>) : DEFAULT_FORM,
        )
  )
    .catch((error: unknown) => (ctx.log(error), DEFAULT_FORM))
    .then((config) => (draw(config), config));
  // Pinch zoom, scrolling and the on-screen keyboard move the visual viewport.
  window.visualViewport?.addEventListener('resize', fitToViewport);
  window.visualViewport?.addEventListener('scroll', fitToViewport);
  return {
    open(from) {
      form.then(() => {
        const element = dialog.current!;
        if (element.open) return;
        opener = from;
        fitToViewport();
        element.showModal();
        focusStep();
      });
    },
  };
}

interface Ref<T> {
  current: T | null;
}

interface FormState {
  step: Step;
  /** At the top, where the eye is when a step begins; it exists before it speaks, as live regions must. */
  status: string;
  satisfaction?: SatisfactionAnswer;
  /** « Envoyer » was pressed with no smiley chosen. */
  missing: boolean;
  /** Too many ratings from this connection: the same button now says « Réessayer ». */
  retry: boolean;
  draft: FollowUpDraft;
}

class Form extends Component<
  {
    ctx: FormContext;
    form: FormConfig;
    transport: Transport;
    dialog: Ref<HTMLDialogElement>;
    stepRef: (element: HTMLElement | null) => void;
    focusStep: () => void;
    onClose: () => void;
  },
  FormState
> {
  override state: FormState = { step: { is: 'rate' }, status: '', missing: false, retry: false, draft: emptyDraft() };
  // Not drawn, so not state: a second click while a request is out, and the stored rating's reference.
  busy = false;
  review: ReviewRef | undefined;
  smileys: HTMLFieldSetElement | null = null;

  // A new step takes the focus; the first is focused by open(), once the dialog is shown.
  override componentDidUpdate(_: unknown, previous: FormState): void {
    if (previous.step != this.state.step) this.props.focusStep();
  }

  override render() {
    const { ctx, form, transport, dialog, stepRef } = this.props;
    const shown = (step: FormConfig['hidden'][number]): boolean => !form.hidden.includes(step);
    const overrides = labelOverrides(form.labels);
    const { collector, procedure, placement, lang } = ctx;
    const { step, status, satisfaction, missing, retry, draft } = this.state;
    const set = (state: Partial<FormState>): void => this.setState(state);
    const say = (status: string): void => set({ status });
    const t = (id: MessageId): string => MESSAGES[id][lang];
    const q = (text: WidgetText): string => overrides.get(text) || text[lang];
    const update = (patch: Partial<FollowUpDraft>): void => set({ draft: { ...draft, ...patch } });

    const sendRating = async (event: Event): Promise<void> => {
      event.preventDefault();
      if (this.busy) return;
      if (!satisfaction) {
        // The form validates itself (novalidate): the browser's own bubble for a required radio is not
        // shown in the dialog (focus only jumped back, in silence). Said in the DSFR's error style, by
        // an alert that exists beforehand, tied to every smiley (aria-describedby), then focused.
        set({ missing: true });
        return this.smileys?.querySelector('input')?.focus();
      }
      this.busy = true;
      // Emptied first, so that a second « try again in a minute » is announced again.
      say('');
      // SPEC §3: the hot rating is stored now, before any follow-up is even shown.
      const outcome = await transport.rate({
        procedure,
        ...(placement && { placement }),
        satisfaction,
        lang,
        ...(form.version && { form_version: form.version }),
      });
      this.busy = false;
      if ('refused' in outcome) {
        // Too many ratings from this connection: the same button sends again, in a minute.
        if (outcome.refused == 'rate_limited') return (say(t('rateLimited')), set({ retry: true }));
        return set({ step: { is: 'refused', code: outcome.refused } });
      }
      this.review = outcome;
      const queued = 'queued' in outcome;
      say(t(queued ? 'queued' : 'sent'));
      // With every follow-up step hidden, the rating is all there is to give.
      set({ step: { is: form.hidden.length > 2 ? 'thanks' : 'more' } });
      ctx.emit('jdma:rated', { procedure, placement, satisfaction, queued });
    };

    const finish = async (send: boolean): Promise<void> => {
      const answers = followUpAnswers(draft);
      const answered = send && Object.keys(answers).length > 0;
      const { review } = this;
      if (this.busy || !review) return;
      let outcome = 'queued' in review ? 'queued' : 'sent';
      if (answered) {
        this.busy = true;
        outcome = await transport.followUp(review, answers);
        this.busy = false;
      }
      // The thanks heading says it all when everything was sent; otherwise the status says what was not.
      say(outcome == 'sent' ? '' : t(outcome == 'queued' ? 'queued' : 'sendFailed'));
      set({ step: { is: 'thanks' } });
      ctx.emit('jdma:completed', { procedure, placement, answered });
    };

    /**
     * A help channel's checkbox, and right under it the questions it opens. They are added to a polite
     * live region that was there before: a screen reader says what appeared, without moving the focus
     * off the box just ticked, and it is the very next thing to swipe or Tab to.
     */
    const check = (channel: HelpChannel, opens?: ComponentChildren) => {
      const checked = draft.help_sought.includes(channel);
      return [
        <label class="check">
          <input
            type="checkbox"
            checked={checked}
            onChange={(event) => update({ help_sought: toggleChannel(draft.help_sought, channel, event.currentTarget.checked) })}
          />
          {q(QUESTIONS.help_sought.answers[channel])}
        </label>,
        opens && (
          <div class="opens" aria-live="polite">
            {checked && opens}
          </div>
        ),
      ];
    };

    const reached = (channel: AdminChannel) => (
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
                onChange={() => update({ help_reached: { ...draft.help_reached, [channel]: answer } })}
              >
                {q(QUESTIONS.help_reached.answers[answer])}
              </Choice>
            ))}
          </div>
        </fieldset>
        {draft.help_reached[channel] == 'yes' && (
          <Scale
            name={`quality-${channel}`}
            legend={q(QUESTIONS.help_quality.question)}
            low={q(QUESTIONS.help_quality.low)}
            high={q(QUESTIONS.help_quality.high)}
            value={draft.help_quality[channel]}
            onChange={(value) => update({ help_quality: { ...draft.help_quality, [channel]: value } })}
          />
        )}
      </fieldset>
    );

    const steps = {
      rate: () => (
        <form noValidate onSubmit={sendRating} ref={stepRef}>
          <fieldset class={missing ? 'invalid' : undefined} ref={(element) => void (this.smileys = element)}>
            <legend>{q(QUESTIONS.satisfaction.question)}</legend>
            <p id="smiley-error" class="error" role="alert">
              {missing && t('chooseSmiley')}
            </p>
            <div class="tiles">
              {SATISFACTION_ANSWERS.map((answer) => (
                <Choice
                  name="satisfaction"
                  required
                  describedby="smiley-error"
                  onChange={() => set({ satisfaction: answer, missing: false })}
                >
                  <svg viewBox="0 0 40 40" aria-hidden="true">
                    <path d={SMILEYS[answer]} />
                  </svg>
                  {q(QUESTIONS.satisfaction.answers[answer])}
                </Choice>
              ))}
            </div>
          </fieldset>
          <button type="submit" class="primary">
            {t(retry ? 'retry' : 'sendRating')}
          </button>
        </form>
      ),
      // The hosted form would refuse an unknown or archived procedure too: there is no other page to
      // offer. Past the daily count it would refuse this connection too: say what still works.
      refused: (code: string) => (
        <div ref={stepRef}>
          <h3 tabIndex={-1}>{t('notRecorded')}</h3>
          {code == 'too_many_ratings' && <p>{t('tooManyRatings')}</p>}
          {!/^(unknown_procedure|procedure_archived|too_many_ratings)$/.test(code) && (
            <p>
              <a
                href={`${collector}/avis/${procedure}?${new URLSearchParams({ ...(placement && { placement }), lang, satisfaction: satisfaction! })}`}
                target="_blank"
                rel="noopener"
              >
                {t('hostedForm')}
              </a>
            </p>
          )}
        </div>
      ),
      more: () => (
        <form onSubmit={(event) => (event.preventDefault(), finish(true))} ref={stepRef}>
          <h3 tabIndex={-1}>{t('more')}</h3>
          {shown('clarity') && (
            <Scale
              name="clarity"
              legend={q(QUESTIONS.clarity.question)}
              low={q(QUESTIONS.clarity.low)}
              high={q(QUESTIONS.clarity.high)}
              value={draft.clarity}
              onChange={(clarity) => update({ clarity })}
            />
          )}
          {shown('help') && (
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
                    channel == 'other' && (
                      <div class="field">
                        <label for="help-other">{q(QUESTIONS.help_other.question)}</label>
                        <input
                          id="help-other"
                          type="text"
                          maxLength={LIMITS.helpOther}
                          value={draft.help_other}
                          onInput={(event) => update({ help_other: event.currentTarget.value })}
                        />
                      </div>
                    ),
                  ),
                )}
              </fieldset>
              {check(NO_HELP)}
            </fieldset>
          )}
          {shown('comment') && (
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
                value={draft.comment}
                onInput={(event) => update({ comment: event.currentTarget.value })}
              />
            </div>
          )}
          <div class="tiles">
            <button type="submit" class="primary">
              {t('sendAnswers')}
            </button>
            <button type="button" onClick={() => finish(false)}>
              {t('skip')}
            </button>
          </div>
        </form>
      ),
      thanks: () => (
        <div ref={stepRef}>
          <h3 tabIndex={-1}>{t('thanks')}</h3>
        </div>
      ),
    };

    return (
      // `lang`: the dialog may speak English on a French page (data-lang), and screen readers must know (RGAA 8.7).
      // `dir` always: Arabic mirrors the layout (widget/form.css uses logical properties), and a left-to-right
      // language stays so on a right-to-left host page, whose direction the shadow root would inherit.
      <dialog
        lang={lang}
        dir={dirOf(lang)}
        aria-labelledby="title"
        ref={dialog}
        onClose={this.props.onClose}
        onKeyDown={(event) => {
          // Keeps Tab inside the dialog: a native modal lets it go on to the browser's own controls. Every
          // step starts with « Fermer » and ends with the privacy link, so those two are the first and last stops.
          const stops = event.currentTarget.querySelectorAll<HTMLElement>('button,a');
          const [first, last] = [stops[0]!, stops[stops.length - 1]!];
          if (event.key == 'Tab' && event.target == (event.shiftKey ? first : last)) {
            event.preventDefault();
            (event.shiftKey ? last : first).focus();
          }
        }}
      >
        <div class="head">
          <h2 id="title">{t('button')}</h2>
          <button type="button" onClick={() => dialog.current?.close()}>
            {t('close')}
          </button>
        </div>
        <div class="body">
          <p role="status">{status}</p>
          {step.is == 'refused' ? steps.refused(step.code) : steps[step.is]()}
          <p class="hint">
            <a href={`${collector}/confidentialite?lang=${lang}`} target="_blank" rel="noopener">
              {t('anonymous')}
            </a>
          </p>
        </div>
      </dialog>
    );
  }
}

/** One radio of a group, drawn as a tile: the input stays focusable and arrow keys move within the group. */
function Choice(props: {
  name: string;
  checked?: boolean;
  onChange: () => void;
  required?: boolean;
  describedby?: string | undefined;
  children: ComponentChildren;
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
  value?: ScaleValue | undefined;
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
