// The problem form's chunk (SPEC §3 "Signaler un problème"), loaded by widget/loader.ts for a tag
// with data-form="probleme": its own chunk, so that the rating form's chunk pays nothing for it. It
// draws its button's label (the loader leaves it empty), then a native modal <dialog> with the three
// kinds and, for a technical problem or a suggestion, a text. « My own situation » has no text box:
// once sent, it shows the procedure's contact page instead of collecting the person's case.
// Unlike a rating, a report that cannot be sent is not queued: the person is told, and may retry.
/** @jsxRuntime classic */
/** @jsx h */
// biome-ignore lint/correctness/noUnusedImports: the JSX of this file compiles to h() calls (the jsx pragma above).
import { Component, h, render } from 'preact';
import { MESSAGES } from '../shared/messages.ts';
import { PROBLEM_KINDS, PROBLEM_TEXTS, PROBLEM_TEXT_MAX, TEXT_KINDS, type ProblemKind } from '../shared/problem-report.ts';
import { dirOf } from '../shared/questionnaire.ts';
import type { FormContext, FormHandle } from './form-context.ts';

/** Minified widget/form.css, set by esbuild.config.mjs (absent under unit tests): the same dialog as the rating form's. */
declare const __FORM_CSS__: string;

export function mountForm(ctx: FormContext): FormHandle {
  ctx.adopt(typeof __FORM_CSS__ == 'string' ? __FORM_CSS__ : '');
  const button = ctx.box.querySelector('button');
  if (button) {
    button.textContent = PROBLEM_TEXTS.button[ctx.lang];
    button.hidden = false;
  }
  const dialog = { current: null as HTMLDialogElement | null };
  let opener: Element | null = null;
  const focusStep = (): void => dialog.current?.querySelector<HTMLElement>('.body input,.body h3')?.focus();
  const container = document.createElement('div');
  ctx.box.append(container);
  render(
    <ProblemForm ctx={ctx} dialog={dialog} focusStep={focusStep} onClose={() => opener instanceof HTMLElement && opener.focus()} />,
    container,
  );
  return {
    open(from) {
      const element = dialog.current!;
      if (element.open) return;
      opener = from;
      element.showModal();
      focusStep();
    },
  };
}

interface State {
  kind?: ProblemKind;
  text: string;
  /** Which field the last « Envoyer » found wanting. */
  missing?: 'kind' | 'text';
  status: string;
  /** Sent: the contact page of « my own situation », '' for the other kinds or when the agency set none. */
  sent?: { contact: string };
}

class ProblemForm extends Component<
  { ctx: FormContext; dialog: { current: HTMLDialogElement | null }; focusStep: () => void; onClose: () => void },
  State
> {
  override state: State = { text: '', status: '' };
  busy = false;

  // The thanks take the focus, and a refused send puts it on what is missing, whose error its alert reads.
  override componentDidUpdate(_: unknown, previous: State): void {
    const { sent, missing } = this.state;
    if (previous.sent != sent) this.props.focusStep();
    else if (missing && previous.missing != missing) {
      this.props.dialog.current?.querySelector<HTMLElement>(missing == 'text' ? 'textarea' : 'input')?.focus();
    }
  }

  override render() {
    const { ctx, dialog } = this.props;
    const { collector, procedure, placement, lang } = ctx;
    const { kind, text, missing, status, sent } = this.state;
    const p = (id: Exclude<keyof typeof PROBLEM_TEXTS, 'kinds'>): string => PROBLEM_TEXTS[id][lang];
    const withText = kind && TEXT_KINDS.includes(kind);

    const send = async (event: Event): Promise<void> => {
      event.preventDefault();
      if (this.busy) return;
      if (!kind) return this.setState({ missing: 'kind' });
      if (withText && !text.trim()) return this.setState({ missing: 'text' });
      this.busy = true;
      this.setState({ status: '', missing: undefined });
      let code = '';
      try {
        const response = await fetch(`${collector}/api/v1/problem-reports`, {
          method: 'POST',
          // text/plain: a CORS "simple" request, no preflight (SPEC §6).
          body: JSON.stringify({ procedure, ...(placement && { placement }), kind, ...(withText && { text }), lang }),
          keepalive: true,
        });
        const reply = await response.json().catch(() => ({}));
        if (response.ok) {
          this.setState({ sent: { contact: reply.contact_url || '' } });
          ctx.emit('jdma:reported', { procedure, placement, kind });
          return;
        }
        code = reply.error?.code || '';
        ctx.log(code ? `${code}: ${reply.error.message}` : response.status);
      } catch (error) {
        ctx.log(error);
      } finally {
        this.busy = false;
      }
      const said = code == 'rate_limited' ? 'rateLimited' : code == 'too_many_ratings' ? 'tooManyRatings' : '';
      this.setState({ status: said ? MESSAGES[said][lang] : p('failed') });
    };

    const situation = (contact: string) =>
      contact ? (
        <p>
          {p('contact')}{' '}
          <a href={contact} target="_blank" rel="noopener">
            {p('contactLink')}
          </a>
        </p>
      ) : (
        <p>{p('noContact')}</p>
      );

    return (
      <dialog
        lang={lang}
        dir={dirOf(lang)}
        aria-labelledby="title"
        ref={dialog}
        onClose={this.props.onClose}
        onKeyDown={(event) => {
          // Keeps Tab inside the dialog, as the rating form does: « Fermer » and the privacy link are the first and last stops.
          const stops = event.currentTarget.querySelectorAll<HTMLElement>('button,a');
          const [first, last] = [stops[0]!, stops[stops.length - 1]!];
          if (event.key == 'Tab' && event.target == (event.shiftKey ? first : last)) {
            event.preventDefault();
            (event.shiftKey ? last : first).focus();
          }
        }}
      >
        <div class="head">
          <h2 id="title">{p('button')}</h2>
          <button type="button" onClick={() => dialog.current?.close()}>
            {MESSAGES.close[lang]}
          </button>
        </div>
        <div class="body">
          <p role="status">{status}</p>
          {sent ? (
            <div>
              <h3 tabIndex={-1}>{p('thanks')}</h3>
              {kind == 'own_situation' && situation(sent.contact)}
            </div>
          ) : (
            <form noValidate onSubmit={send}>
              <fieldset class={missing == 'kind' ? 'invalid' : undefined}>
                <legend>{p('question')}</legend>
                <p id="kind-error" class="error" role="alert">
                  {missing == 'kind' && p('chooseKind')}
                </p>
                {PROBLEM_KINDS.map((each) => (
                  <label class="check">
                    <input
                      type="radio"
                      name="kind"
                      checked={kind == each}
                      aria-describedby="kind-error"
                      onChange={() => this.setState({ kind: each, missing: undefined })}
                    />
                    {PROBLEM_TEXTS.kinds[each][lang]}
                  </label>
                ))}
              </fieldset>
              {/* What appears under the kinds is announced without moving the focus off the radio just chosen. */}
              <div aria-live="polite">
                {withText && (
                  <div class="field">
                    <label for="problem-text">{p('text')}</label>
                    <p id="text-error" class="error" role="alert">
                      {missing == 'text' && p('writeText')}
                    </p>
                    <textarea
                      id="problem-text"
                      rows={4}
                      maxLength={PROBLEM_TEXT_MAX}
                      aria-describedby="text-error"
                      aria-invalid={missing == 'text' || undefined}
                      value={text}
                      onInput={(event) => this.setState({ text: event.currentTarget.value })}
                    />
                  </div>
                )}
                {kind == 'own_situation' && <p>{p('noContact')}</p>}
              </div>
              <button type="submit" class="primary">
                {p('send')}
              </button>
            </form>
          )}
          <p class="hint">
            <a href={`${collector}/confidentialite?lang=${lang}`} target="_blank" rel="noopener">
              {MESSAGES.anonymous[lang]}
            </a>
          </p>
        </div>
      </dialog>
    );
  }
}
