// The form chunk (issue 3), loaded by widget/loader.ts on idle or first click: the hot rating of
// SPEC §3, sent the moment it is confirmed, then the optional follow-ups, then thanks. A native
// modal <dialog> gives Escape, the top layer and an inert page behind; the rest is ordinary form
// markup, so arrow keys, Space and screen readers work as they do everywhere.
// A class component, not hooks, and the classic h() JSX: both to fit the 10 kB budget (hooks alone
// would take 1.4 kB of it).
/** @jsxRuntime classic */
/** @jsx h */
import { Component, h, render, type ComponentChildren } from 'preact';
import {
  ADMIN_CHANNELS, LIMITS, NO_HELP, OTHER_CHANNELS, QUESTIONS, REACHED_ANSWERS, SATISFACTION_ANSWERS, SCALE_VALUES,
  type HelpChannel, type SatisfactionAnswer, type ScaleValue, type Text,
} from '../shared/questionnaire.ts';
import { MESSAGES, type MessageId } from '../shared/messages.ts';
import {
  asksHelpOther, emptyDraft, followUpAnswers, reachedQuestions, toggleChannel, type FollowUpDraft,
} from '../shared/follow-up-draft.ts';
import type { FormContext, FormHandle } from './form-context.ts';
import { createTransport, type ReviewRef, type Transport } from './transport.ts';

/** Minified widget/form.css, set by esbuild.config.mjs (absent under unit tests). */
declare const __FORM_CSS__: string;

export function mountForm(ctx: FormContext, transport: Transport = createTransport(ctx.collector, ctx.log)): FormHandle {
  // Each widget delivers what earlier pages queued; the queue is emptied before sending, so twice is harmless.
  transport.flush().catch(ctx.log);
  ctx.adopt(typeof __FORM_CSS__ == 'string' ? __FORM_CSS__ : '');
  const container = document.createElement('div');
  ctx.box.append(container);
  let opener: Element | null = null;
  render(<Form ctx={ctx} transport={transport} onClose={() => opener instanceof HTMLElement && opener.focus()} />, container);
  return {
    open(from) {
      const dialog = container.querySelector('dialog');
      if (!dialog || dialog.open) return;
      opener = from;
      dialog.showModal();
      focusStep(dialog);
    },
  };
}

/** Focus goes to the step's first answer, or to its heading once there is a result to read. */
function focusStep(frame: Element | null): void {
  frame?.querySelector<HTMLElement>('.step input,.step h3')?.focus();
}

interface Props {
  ctx: FormContext;
  transport: Transport;
  onClose: () => void;
}

interface State {
  step: 'rate' | 'more' | 'done' | 'failed';
  satisfaction?: SatisfactionAnswer;
  draft: FollowUpDraft;
  /** What the live region announces: sent, queued for the next visit, or failed. */
  status: string;
}

class Form extends Component<Props, State> {
  override state: State = { step: 'rate', draft: emptyDraft(), status: '' };
  busy = false;
  review?: ReviewRef;
  dialog: HTMLDialogElement | null = null;

  override componentDidUpdate(_: Props, previous: State): void {
    // Each new step is announced by moving focus into it; the status region says what was sent.
    if (previous.step != this.state.step) focusStep(this.dialog);
  }

  t = (id: MessageId): string => MESSAGES[id][this.props.ctx.lang];
  q = (text: Text): string => text[this.props.ctx.lang];
  update = (change: Partial<FollowUpDraft>): void => this.setState({ draft: { ...this.state.draft, ...change } });

  sendRating = async (event: Event): Promise<void> => {
    event.preventDefault();
    const { ctx, transport } = this.props;
    const { procedure, placement, lang } = ctx;
    const { satisfaction } = this.state;
    // `required` radios: the browser itself stops an empty submit and says why.
    if (this.busy || !satisfaction) return;
    this.busy = true;
    // SPEC §3: the hot rating is stored now, before any follow-up is even shown.
    const outcome = await transport.rate({ procedure, ...(placement && { placement }), satisfaction, lang });
    this.busy = false;
    if ('rejected' in outcome) return this.setState({ step: 'failed', status: this.t('sendFailed') });
    this.review = outcome;
    const queued = 'queued' in outcome;
    this.setState({ step: 'more', status: this.t(queued ? 'queued' : 'sent') });
    ctx.emit('jdma:rated', { procedure, placement, satisfaction, queued });
  };

  finish = async (send: boolean): Promise<void> => {
    const { ctx, transport } = this.props;
    const answers = followUpAnswers(this.state.draft);
    const answered = send && Object.keys(answers).length > 0;
    if (this.busy || !this.review) return;
    if (answered) {
      this.busy = true;
      const outcome = await transport.followUp(this.review, answers);
      this.busy = false;
      this.setState({ status: this.t(outcome == 'sent' ? 'sent' : outcome == 'queued' ? 'queued' : 'sendFailed') });
    }
    this.setState({ step: 'done' });
    ctx.emit('jdma:completed', { procedure: ctx.procedure, placement: ctx.placement, answered });
  };

  close = (): void => this.dialog?.close();

  /**
   * Keeps Tab inside the dialog: a native modal lets it go on to the browser's own controls. Every step
   * starts with « Fermer » and ends with a button, so those two are the first and last stops.
   */
  trap = (event: KeyboardEvent): void => {
    const buttons = this.dialog!.querySelectorAll('button');
    const [first, last] = [buttons[0]!, buttons[buttons.length - 1]!];
    if (event.key == 'Tab' && event.target == (event.shiftKey ? first : last)) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  };

  check = (channel: HelpChannel) => (
    <label class="check">
      <input type="checkbox" checked={this.state.draft.help_sought.includes(channel)}
        onChange={(event) => this.update({ help_sought: toggleChannel(this.state.draft.help_sought, channel, event.currentTarget.checked) })} />
      {this.q(QUESTIONS.help_sought.answers[channel])}
    </label>
  );

  override render({ ctx, onClose }: Props, { step, satisfaction, draft, status }: State) {
    const { t, q, update, check } = this;
    // `lang`: the dialog may speak English on a French page (data-lang), and screen readers must know (RGAA 8.7).
    return (
      <dialog ref={(dialog) => void (this.dialog = dialog)} lang={ctx.lang} aria-labelledby="title" onClose={onClose} onKeyDown={this.trap}>
        <div class="head">
          <h2 id="title">{t('button')}</h2>
          <button type="button" onClick={this.close}>{t('close')}</button>
        </div>
        <div class="body">
          {step == 'rate' && (
            <form class="step" onSubmit={this.sendRating}>
              <fieldset>
                <legend>{q(QUESTIONS.satisfaction.question)}</legend>
                <div class="tiles">
                  {SATISFACTION_ANSWERS.map((answer) => (
                    <Choice name="satisfaction" required checked={satisfaction == answer}
                      onChange={() => this.setState({ satisfaction: answer })}>
                      <svg viewBox="0 0 40 40" aria-hidden="true">
                        <path d={`M2 20a18 18 0 1 0 36 0a18 18 0 1 0-36 0M14 15v2M26 15v2${MOUTHS[answer]}`} />
                      </svg>
                      {q(QUESTIONS.satisfaction.answers[answer])}
                    </Choice>
                  ))}
                </div>
              </fieldset>
              <button class="primary">{t('sendRating')}</button>
            </form>
          )}
          {step == 'more' && (
            <form class="step" onSubmit={(event) => (event.preventDefault(), this.finish(true))}>
              <h3 tabIndex={-1}>{t('more')}</h3>
              <Scale name="clarity" legend={q(QUESTIONS.clarity.question)} low={q(QUESTIONS.clarity.low)}
                high={q(QUESTIONS.clarity.high)} value={draft.clarity} onChange={(clarity) => update({ clarity })} />
              <fieldset>
                <legend>{q(QUESTIONS.help_sought.question)}</legend>
                <p class="hint">{q(QUESTIONS.help_sought.hint)}</p>
                <fieldset class="group">
                  <legend>{q(QUESTIONS.help_sought.adminGroup)}</legend>
                  {ADMIN_CHANNELS.map(check)}
                </fieldset>
                <fieldset class="group">
                  <legend>{q(QUESTIONS.help_sought.otherGroup)}</legend>
                  {OTHER_CHANNELS.map(check)}
                </fieldset>
                {check(NO_HELP)}
              </fieldset>
              {asksHelpOther(draft) && (
                <div class="field">
                  <label for="help-other">{q(QUESTIONS.help_other.question)}</label>
                  <input id="help-other" type="text" maxLength={LIMITS.helpOther} value={draft.help_other}
                    onInput={(event) => update({ help_other: event.currentTarget.value })} />
                </div>
              )}
              {reachedQuestions(draft).map((channel) => (
                // One group per channel ticked: « Au guichet » › reached? › (if yes) quality of the help.
                <fieldset key={channel}>
                  <legend>{q(QUESTIONS.help_sought.answers[channel])}</legend>
                  <fieldset>
                    <legend>{q(QUESTIONS.help_reached.question)}</legend>
                    <div class="tiles">
                      {REACHED_ANSWERS.map((answer) => (
                        <Choice name={`reached-${channel}`} checked={draft.help_reached[channel] == answer}
                          onChange={() => update({ help_reached: { ...draft.help_reached, [channel]: answer } })}>
                          {q(QUESTIONS.help_reached.answers[answer])}
                        </Choice>
                      ))}
                    </div>
                  </fieldset>
                  {draft.help_reached[channel] == 'yes' && (
                    <Scale name={`quality-${channel}`} legend={q(QUESTIONS.help_quality.question)} low={q(QUESTIONS.help_quality.low)}
                      high={q(QUESTIONS.help_quality.high)} value={draft.help_quality[channel]}
                      onChange={(value) => update({ help_quality: { ...draft.help_quality, [channel]: value } })} />
                  )}
                </fieldset>
              ))}
              <div class="field">
                <label for="comment">{q(QUESTIONS.comment.question)}</label>
                <p id="comment-hint" class="hint">{q(QUESTIONS.comment.hint)}</p>
                <textarea id="comment" rows={4} maxLength={LIMITS.comment} aria-describedby="comment-hint" value={draft.comment}
                  onInput={(event) => update({ comment: event.currentTarget.value })} />
              </div>
              <div class="actions">
                <button class="primary">{t('sendAnswers')}</button>
                <button type="button" class="secondary" onClick={() => this.finish(false)}>{t('skip')}</button>
              </div>
            </form>
          )}
          {(step == 'done' || step == 'failed') && (
            <div class="step">
              <h3 tabIndex={-1}>{t(step == 'done' ? 'thanks' : 'sendFailed')}</h3>
              <button type="button" class="primary" onClick={this.close}>{t('close')}</button>
            </div>
          )}
          <p role="status">{status}</p>
        </div>
      </dialog>
    );
  }
}

/** One radio of a group, drawn as a tile: the input stays focusable and arrow keys move within the group. */
function Choice(props: { name: string; checked: boolean; onChange: () => void; required?: boolean; children: ComponentChildren }) {
  return (
    <label class="choice">
      <input type="radio" class="vh" name={props.name} checked={props.checked} onChange={props.onChange} required={props.required} />
      <span class="tile">{props.children}</span>
    </label>
  );
}

/** A 1..5 scale (SPEC §3) whose ends are named inside the end radios' labels. */
function Scale(props: { name: string; legend: string; low: string; high: string; value?: ScaleValue; onChange: (value: ScaleValue) => void }) {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <div class="tiles">
        {SCALE_VALUES.map((value) => (
          <Choice name={props.name} checked={props.value == value} onChange={() => props.onChange(value)}>
            {value}
            {value == 1 && <small> {props.low}</small>}
            {value == 5 && <small> {props.high}</small>}
          </Choice>
        ))}
      </div>
    </fieldset>
  );
}

/** The three smileys' mouths (SPEC §3), under the same eyes and face. */
const MOUTHS: Record<SatisfactionAnswer, string> = { bad: 'M13 29q7-7 14 0', medium: 'M13 27h14', good: 'M13 24q7 7 14 0' };
