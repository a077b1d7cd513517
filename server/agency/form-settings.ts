// What an admin does to a procedure's form (SPEC §3 "Customisation"): saves a draft, publishes it
// as the next numbered version, archives the published one. The API and the space's settings page
// both call these, so that a change is checked and audited one way only.
import { INDICATOR_STEPS } from '../../shared/form-config.ts';
import { addDays } from '../../shared/feed-window.ts';
import { HttpError } from '../http-errors.ts';
import { FormChangesSchema } from '../schemas/form-schemas.ts';
import { parseRequest } from '../schemas/agency-schemas.ts';
import type { FormChanges, Procedure, Store } from '../store/store.ts';
import { type Actor, actorOf } from './access.ts';
import type { AuditTrail } from './audit-trail.ts';

/** JDMA's own product ids are below this: one recorded means the observatory's pipeline names the procedure. */
const JDMA_PRODUCT_IDS = 1_000_000;

/**
 * Whether the observatory publishes the procedure: it carries a JDMA product id (the observatory's
 * pipeline asks for it by that number), or it has the reviews its indicators need over the feed's
 * default window (the last 12 months), so that the public pages show them.
 */
export async function inObservatory(store: Store, procedureId: string, minReviews: number, today: string): Promise<boolean> {
  const productId = await store.procedures.productIdOf(procedureId);
  if (productId !== undefined && productId < JDMA_PRODUCT_IDS) return true;
  return (await store.procedures.reviewsSince(procedureId, addDays(today, -364))) >= minReviews;
}

/**
 * A draft as sent: 400 `satisfaction_locked` when it touches the satisfaction question or its
 * answers (said apart from any other mistake: it is the rule agencies meet), `invalid_body`
 * otherwise when it does not match.
 */
export function parseFormChanges(body: unknown): FormChanges {
  const labels = (body as { labels?: unknown } | null)?.labels;
  if (labels && typeof labels === 'object') {
    for (const [lang, paths] of Object.entries(labels)) {
      const touched =
        paths && typeof paths === 'object' ? Object.keys(paths).find((path) => path.split('.')[0] === 'satisfaction') : undefined;
      if (touched !== undefined) {
        throw new HttpError(400, 'satisfaction_locked', 'The satisfaction question and its three answers cannot be changed.', [
          { field: `labels.${lang}.${touched}`, message: 'the satisfaction question and its answers are the same on every form' },
        ]);
      }
    }
  }
  return parseRequest(FormChangesSchema, body, 'body') as FormChanges;
}

/** 409 `indicator_step_required` when a procedure the observatory publishes would hide a step its indicators need. */
async function requireIndicatorSteps(store: Store, procedure: Procedure, changes: FormChanges, minReviews: number, today: string) {
  const hidden = changes.hidden.filter((step) => INDICATOR_STEPS.includes(step));
  if (hidden.length === 0 || !(await inObservatory(store, procedure.id, minReviews, today))) return;
  throw new HttpError(
    409,
    'indicator_step_required',
    `The observatory publishes this procedure: its indicators are computed from the steps ${hidden.join(', ')}, which must stay on its form (only the comment may be hidden).`,
    hidden.map((step) => ({ field: 'hidden', message: `"${step}" feeds an indicator of the observatory` })),
  );
}

export interface FormRules {
  minReviews: number;
  now: () => Date;
}

/** Saves the draft (audited as `form_draft_saved`); refused as above, with nothing stored. */
export async function saveFormDraft(
  store: Store,
  audit: AuditTrail,
  caller: Actor,
  procedure: Procedure,
  changes: FormChanges,
  rules: FormRules,
) {
  const at = rules.now();
  await requireIndicatorSteps(store, procedure, changes, rules.minReviews, at.toISOString().slice(0, 10));
  await store.forms.saveDraft(procedure.id, { changes, updatedAt: at.getTime(), updatedBy: actorOf(caller) });
  await audit(caller, procedure.entityId, 'form_draft_saved', procedure.id, {
    hidden: changes.hidden,
    languages: Object.keys(changes.labels),
  });
}

/**
 * Publishes the draft as the next version (audited as `form_published`): the widget and the hosted
 * form show it from then on. The indicator rule is checked again: the procedure may have entered
 * the observatory since the draft was saved. 409 `form_draft_missing` without a draft.
 */
export async function publishForm(store: Store, audit: AuditTrail, caller: Actor, procedure: Procedure, rules: FormRules): Promise<number> {
  const at = rules.now();
  const draft = await store.forms.draft(procedure.id);
  if (!draft) throw new HttpError(409, 'form_draft_missing', 'This procedure has no form draft to publish (save one first).');
  await requireIndicatorSteps(store, procedure, draft.changes, rules.minReviews, at.toISOString().slice(0, 10));
  const version = (await store.forms.publish(procedure.id, actorOf(caller), at.getTime()))!;
  await audit(caller, procedure.entityId, 'form_published', procedure.id, { version });
  return version;
}

/** Archives the published version: the default form is shown again (audited as `form_archived` when there was one). */
export async function archiveForm(store: Store, audit: AuditTrail, caller: Actor, procedure: Procedure, now: () => Date) {
  const version = await store.forms.archive(procedure.id, now().getTime());
  if (version !== undefined) await audit(caller, procedure.entityId, 'form_archived', procedure.id, { version });
  return version;
}
