// jdma procedure show: a procedure, its reviews, and its integration health as the space's settings
// page tells it (server/agency/integration-health.ts: the same kinds, labels and fixes), as commands.
import { DEFAULT_PLACEMENT } from '../../shared/questionnaire.ts';
import { healthFix, healthTotals, isOtherOrigin, REFUSAL_LABELS, refusalKind } from '../agency/integration-health.ts';
import { OTHER_KEY, type Procedure, type Store } from '../store/store.ts';
import { daysAgo, json, shown } from './command-kit.ts';

const REASONS = REFUSAL_LABELS.fr;

/** The fix an agency can run for a refusal, when there is one. */
function fixFor(procedureId: string, row: { reason: string; origin: string; placementId: string }): string {
  const fix = healthFix(row);
  if (fix?.kind === 'add_origin') return `jdma origin add ${procedureId} ${fix.origin}`;
  if (fix?.kind === 'add_placement') return `jdma placement add ${procedureId} ${fix.placement}`;
  if (fix?.kind === 'restore') return `jdma procedure restore ${procedureId}`;
  return '';
}

/** Lines `show` prints per part of the health; the rest are summed, however many origins a flood invented (all in --json). */
const HEALTH_LINES = 20;

const originWords = (origin: string) => (isOtherOrigin(origin) ? 'd’autres origines' : origin);
const placementWords = (placement: string) =>
  placement === OTHER_KEY
    ? ', d’autres emplacements'
    : placement && placement !== DEFAULT_PLACEMENT
      ? `, emplacement « ${placement} »`
      : '';

/** At most HEALTH_LINES lines, then one that sums the others. */
function capped<T extends { count: number }>(rows: readonly T[], line: (row: T) => string, id: string): string[] {
  const rest = rows.slice(HEALTH_LINES);
  const more = rest.reduce((sum, row) => sum + row.count, 0);
  return [
    ...rows.slice(0, HEALTH_LINES).map(line),
    ...(rest.length > 0 ? [`    … et ${rest.length} autres lignes, ${more} note(s) (jdma procedure show ${id} --json)`] : []),
  ];
}

export async function showProcedure(store: Store, procedure: Procedure, asJson: boolean): Promise<void> {
  const reviews = {
    last_7_days: await store.procedures.reviewsSince(procedure.id, daysAgo(6)),
    last_30_days: await store.procedures.reviewsSince(procedure.id, daysAgo(29)),
  };
  const refused = (await store.refusedRatings.since(procedure.id, daysAgo(29))).map((row) => ({ ...row, kind: refusalKind(row.reason) }));
  const tried = await store.refusedRatings.triedFrom(procedure.origins, daysAgo(29));
  const totals = healthTotals(refused);
  if (asJson) {
    return console.log(
      json({
        ...procedure,
        reviews,
        refused_totals_last_30_days: {
          integration_faults: totals.faults,
          anti_abuse_limits: totals.limits,
          stored_with_warning: totals.stored,
        },
        refused_last_30_days: refused,
        unknown_procedures_from_its_origins: tried,
      }),
    );
  }
  const lines = [
    shown`${procedure.id} : ${procedure.title}`,
    shown`  Entité : ${procedure.entity} (${procedure.entityId})`,
    shown`  État : ${procedure.archivedAt ? `archivée le ${procedure.archivedAt.slice(0, 10)} (jdma procedure restore ${procedure.id})` : 'active'}`,
    shown`  Origines autorisées : ${procedure.origins.join(' ') || 'aucune'}`,
    shown`  Emplacements : ${procedure.placements.map((p) => (procedure.testPlacements.includes(p) ? `${p} (test)` : p)).join(' ')}`,
    `  Avis : ${reviews.last_7_days} sur 7 jours, ${reviews.last_30_days} sur 30 jours`,
  ];
  if (refused.length === 0 && tried.length === 0) lines.push('  Notes refusées sur 30 jours : aucune');
  else {
    lines.push(
      `  Notes refusées sur 30 jours : ${totals.faults} par des problèmes d’intégration, ${totals.limits} par les limites anti-abus` +
        (totals.stored > 0 ? ` ; ${totals.stored} enregistrée(s) malgré tout sous l’emplacement par défaut (default)` : ''),
    );
    const faults = refused.filter((row) => row.kind !== 'limit');
    if (faults.length > 0) {
      lines.push('  Problèmes d’intégration (à corriger) :');
      lines.push(
        ...capped(
          faults,
          (row) => {
            const where = row.origin ? ` depuis ${originWords(row.origin)}` : '';
            const fix = fixFor(procedure.id, row);
            return shown`    ${row.count} : ${REASONS[row.reason] ?? row.reason}${where}${placementWords(row.placementId)}${fix ? ` (${fix})` : ''}`;
          },
          procedure.id,
        ),
      );
    }
    const limits = new Map<string, number>();
    for (const row of refused) if (row.kind === 'limit') limits.set(row.reason, (limits.get(row.reason) ?? 0) + row.count);
    if (limits.size > 0) {
      lines.push('  Limites anti-abus (pas une erreur des pages) :');
      for (const [reason, count] of limits) lines.push(`    ${count} : ${REASONS[reason] ?? reason}`);
    }
    if (tried.length > 0) {
      lines.push(`  Démarches inconnues visées depuis ses origines (data-procedure mal recopié ? il doit valoir « ${procedure.id} ») :`);
      lines.push(
        ...capped(
          tried,
          (row) =>
            shown`    ${row.count} : ${row.procedureId ? `« ${row.procedureId} »` : 'd’autres identifiants'} depuis ${originWords(row.origin)}`,
          procedure.id,
        ),
      );
    }
  }
  console.log(lines.join('\n'));
}
