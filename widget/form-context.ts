// What the loader (widget/loader.ts) hands the form chunk (widget/form.tsx): types only, so the
// loader stays framework-free and tiny.
import type { FormConfig } from '../shared/form-config.ts';
import type { WidgetLang } from '../shared/questionnaire.ts';

export interface FormContext {
  /** The collector's origin: the loader script's own (SPEC §5). */
  collector: string;
  root: ShadowRoot;
  /** The themed element inside the shadow root that the form renders into. */
  box: HTMLElement;
  procedure: string;
  /** data-placement; absent or empty means the procedure's default placement (SPEC §2). */
  placement: string | undefined;
  lang: WidgetLang;
  /** The form to show instead of asking the collector for the published one: the space's preview of a draft. */
  form?: FormConfig | undefined;
  adopt(css: string): void;
  emit(type: 'jdma:rated' | 'jdma:completed' | 'jdma:reported', detail: Record<string, unknown>): void;
  log(...args: unknown[]): void;
}

export interface FormHandle {
  /** Opens the dialog; focus returns to `opener` when it closes. */
  open(opener: Element | null): void;
}
