// dist/widget.js: the one <script> an agency pastes (SPEC §5). No framework, budget 1,536 B (STYLE rule 6)
// gzip: it reads its own data-* attributes, draws the button in a shadow root and loads the
// form chunk (widget/form.tsx, which also sends and queues) from its own origin when the browser
// is idle or on the first click.
import { BUTTON_LABEL } from '../shared/messages.ts';
import type { WidgetLang } from '../shared/questionnaire.ts';
import type { FormContext, FormHandle } from './form-context.ts';

/** The form chunks' languages (the default first), their common hash, and the button's minified CSS (esbuild.config.mjs). */
declare const __FORM_LANGS__: WidgetLang[];
declare const __FORM_HASH__: string;
declare const __BUTTON_CSS__: string;

/** The page's one global (SPEC §5), shared by every widget tag on the page, whichever ran first. */
interface Namespace {
  /**
   * Opens the dialog of the first widget in the page whose procedure, or data-placement, is the one
   * asked; without an argument, the page's first widget. False when there is none.
   */
  open(procedureOrPlacement?: string): boolean;
}
/** A widget's element, which carries its opener: truthy when it opens (async tags run in any order, the page's order is the DOM's). */
type Host = HTMLElement & { jdma?: (procedureOrPlacement?: string) => unknown };

((script) => {
  if (!(script instanceof HTMLScriptElement)) return;
  const data = script.dataset;
  // SPEC §5: silent in the host page's console unless the agency asks with data-debug.
  const log = (...args: unknown[]): void => {
    if ('debug' in data) console.warn('[jdma]', ...args);
  };
  // Never throw into the host page (STYLE rule 5): every entry point below is guarded.
  try {
    const procedure = data.procedure;
    if (!procedure) return log('no data-procedure');
    const collector = new URL(script.src).origin;
    // data-lang, else the page's own <html lang> (`en-GB` is `en`); a language we do not speak is the default.
    const asked = (data.lang || document.documentElement.lang).toLowerCase().split('-')[0];
    // The languages are the form chunks' (one per language, the default first: esbuild.config.mjs).
    const lang = __FORM_LANGS__.find((known) => known == asked) || __FORM_LANGS__[0]!;
    const mode = data.mode;
    // data-form="probleme": the problem form's chunk (SPEC §3 "Signaler un problème"), which also labels the button.
    const kind = data.form == 'probleme' ? 'problem' : 'form';

    const host: Host = document.createElement('jdma-avis');
    const root = host.attachShadow({ mode: 'open' });
    // Constructable stylesheets are not inline styles: a strict CSP needs no 'unsafe-inline' (SPEC §5).
    // Browsers without them (Safari < 16.4) get a <style>, which only a strict CSP would block.
    const adopt = (css: string): void => {
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      } catch {
        const style = document.createElement('style');
        style.textContent = css;
        root.append(style);
      }
    };
    adopt(__BUTTON_CSS__);
    const box = document.createElement('div');
    // data-theme light | dark | auto (the default: follows prefers-color-scheme); an unknown value is light.
    box.className = `jdma ${data.theme || 'auto'} ${mode || ''}`;
    root.append(box);

    // One chunk load per widget (a failed import() stays failed in the browser's module map anyway).
    let form: Promise<FormHandle> | undefined;
    const loadForm = (): Promise<FormHandle> =>
      (form ||= import(/* @vite-ignore */ `${collector}/widget/${kind}-${lang}-${__FORM_HASH__}.js`).then(
        (chunk: { mountForm(ctx: FormContext): FormHandle }) =>
          chunk.mountForm({
            collector,
            root,
            box,
            procedure,
            lang,
            adopt,
            log,
            placement: data.placement,
            emit: (type, detail) => host.dispatchEvent(new CustomEvent(type, { bubbles: true, detail })),
          }),
      ));
    const open = (opener: Element | null): Promise<void> =>
      loadForm()
        .then((handle) => handle.open(opener))
        .catch(log);

    const button = document.createElement('button');
    button.className = 'primary';
    // Until the problem chunk labels it, its button is hidden: an empty button names nothing.
    if (kind == 'form') button.textContent = BUTTON_LABEL[lang];
    else button.hidden = true;
    button.lang = lang;
    button.addEventListener('click', () => open(button));
    box.append(button);

    (window as unknown as { jdma?: Namespace }).jdma ||= {
      open: (id) => [...document.querySelectorAll<Host>('jdma-avis')].some((widget) => widget.jdma?.(id)),
    };
    host.jdma = (id) => (!id || id == procedure || id == data.placement) && open(document.activeElement);

    const place = (): void => {
      try {
        const target = data.target && document.querySelector(data.target); // throws on a bad selector
        if (target) target.append(host);
        else if (mode != 'floating' && script.parentElement != document.head) script.after(host);
        else document.body.append(host);
      } catch (error) {
        log(error);
      }
    };
    // An async tag may run before its data-target (or <body>) is parsed.
    if (document.readyState == 'loading') document.addEventListener('DOMContentLoaded', place);
    else place();

    // Load the form when idle: the first click opens it at once, and queued ratings get delivered.
    (window.requestIdleCallback || setTimeout)(() => loadForm().catch(log));
  } catch (error) {
    log(error);
  }
})(document.currentScript);
