// The CSV French Excel opens by double-click (SPEC §8): its exact bytes, on both engines; and the
// XLSX's labelled sheet, beside its machine one, with the same words.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { FollowUpAnswers, SatisfactionAnswer } from '../../../../../shared/questionnaire.ts';
import { type AgencyWorld, agencyWorld, ORIGIN_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
});

async function review(at: string, satisfaction: SatisfactionAnswer, answers?: FollowUpAnswers): Promise<number> {
  world.clock.now = new Date(at);
  const headers = { 'content-type': 'application/json', origin: ORIGIN_A };
  const rated = await world.inject({ method: 'POST', url: '/api/v1/reviews', headers, payload: { procedure: 'demarche-a', satisfaction } });
  const { id, token } = rated.json() as { id: number; token: string };
  if (answers) {
    const followed = await world.inject({ method: 'POST', url: `/api/v1/reviews/${id}`, headers, payload: { token, answers } });
    expect(followed.statusCode, followed.body).toBe(200);
  }
  return id;
}

const HEADER =
  'N° de l’avis;Date et heure (Paris);Jour (UTC);Emplacement;Langue;Satisfaction;Clarté des informations (1 à 5);Aide cherchée;' +
  'Administration jointe : au guichet;Administration jointe : par téléphone;Administration jointe : par e-mail;Administration jointe : par chat;' +
  'Qualité de l’aide (1 à 5) : au guichet;Qualité de l’aide (1 à 5) : par téléphone;Qualité de l’aide (1 à 5) : par e-mail;Qualité de l’aide (1 à 5) : par chat;' +
  'Autre aide (précisée);Commentaire;Masqué le (Paris);Motif du masquage;Masqué par;Statut;Étiquettes;Indésirable depuis (Paris);Doublon de l’avis n°;Version du formulaire';

test('the Excel CSV: BOM, semicolons, French headers and words, Paris time on both sides of the spring change', async () => {
  // Paris went from UTC+1 to UTC+2 at 01:00 UTC on 29 March 2026.
  const winter = await review('2026-03-28T23:30:00Z', 'good', {
    clarity: 4,
    help_sought: ['phone', 'other'],
    help_other: 'Un ami',
    help_reached: { phone: 'yes' },
    help_quality: { phone: 5 },
    comment: 'Clair ; rapide, « efficace »\net "simple"',
  });
  const summer = await review('2026-03-29T01:30:00Z', 'bad');
  world.clock.now = new Date('2026-04-02T10:00:00Z');
  const reply = await world.inject({
    method: 'GET',
    url: '/api/v1/procedures/demarche-a/reviews-excel.csv?from=2026-03-01&to=2026-03-31',
    headers: { authorization: `Bearer ${world.keys.all}` },
  });
  expect(reply.statusCode, reply.body).toBe(200);
  expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
  expect(reply.headers['content-disposition']).toBe('attachment; filename="avis-demarche-a-2026-03-01-2026-03-31-excel.csv"');
  const bytes = reply.rawPayload;
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.subarray(3).toString('utf8')).toBe(
    `${HEADER}\r\n` +
      `${summer};29/03/2026 03:30:00;2026-03-29;default;français;Pas bien;;;;;;;;;;;;;;;;Nouveau;;;;\r\n` +
      `${winter};29/03/2026 00:30:00;2026-03-28;default;français;Très bien;4;Par téléphone, Autre;;Oui;;;;5;;;Un ami;"Clair ; rapide, « efficace »\net ""simple""";;;;Nouveau;;;;\r\n`,
  );
  const audit = await world.db.rows<{ action: string; details: string }>("SELECT action, details FROM audit_log WHERE action = 'export'");
  expect(audit.map((entry) => JSON.parse(entry.details).format)).toEqual(['csv-excel']);
});

test('in autumn Paris goes back to UTC+1', async () => {
  // 25 October 2026, 01:00 UTC: 03:00 summer time becomes 02:00 winter time.
  await review('2026-10-25T00:30:00Z', 'medium');
  await review('2026-10-25T01:30:00Z', 'medium');
  const reply = await world.inject({
    method: 'GET',
    url: '/api/v1/procedures/demarche-a/reviews-excel.csv?from=2026-10-25&to=2026-10-25',
    headers: { authorization: `Bearer ${world.keys.all}` },
  });
  const times = reply.body
    .split('\r\n')
    .slice(1, -1)
    .map((line) => line.split(';')[1]);
  expect(times).toEqual(['25/10/2026 02:30:00', '25/10/2026 02:30:00']);
});

test('the XLSX holds the machine sheet « Avis » first, then « Avis (libellés) » with the Excel CSV’s headers, words and Paris times', async () => {
  const winter = await review('2026-03-28T23:30:00Z', 'good', {
    clarity: 4,
    help_sought: ['phone', 'other'],
    help_other: 'Un ami',
    help_reached: { phone: 'yes' },
    help_quality: { phone: 5 },
    comment: 'Rapide et efficace',
  });
  const summer = await review('2026-03-29T01:30:00Z', 'bad');
  world.clock.now = new Date('2026-04-02T10:00:00Z');
  const reply = await world.inject({
    method: 'GET',
    url: '/api/v1/procedures/demarche-a/reviews.xlsx?from=2026-03-01&to=2026-03-31',
    headers: { authorization: `Bearer ${world.keys.all}` },
  });
  expect(reply.statusCode, reply.body).toBe(200);
  const workbook = new ExcelJS.Workbook();
  const bytes = reply.rawPayload;
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Avis', 'Avis (libellés)']);
  const cells = (sheet: ExcelJS.Worksheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };
  const [machineHeader, ...machineRows] = cells(workbook.getWorksheet('Avis')!);
  expect(machineHeader!.slice(0, 6)).toEqual(['id', 'created_at', 'day', 'placement', 'lang', 'satisfaction']);
  expect(machineRows.map((row) => row.slice(0, 6))).toEqual([
    [summer, '2026-03-29T01:30:00.000Z', '2026-03-29', 'default', 'fr', 'bad'],
    [winter, '2026-03-28T23:30:00.000Z', '2026-03-28', 'default', 'fr', 'good'],
  ]);
  const labelled = cells(workbook.getWorksheet('Avis (libellés)')!);
  // Empty cells come back as holes: the same row with '' where the CSV has nothing.
  const asCsv = (row: unknown[]) => Array.from({ length: 26 }, (_, i) => (row[i] === undefined ? '' : String(row[i]))).join(';');
  expect(labelled.map(asCsv)).toEqual([
    HEADER,
    `${summer};29/03/2026 03:30:00;2026-03-29;default;français;Pas bien;;;;;;;;;;;;;;;;Nouveau;;;;`,
    `${winter};29/03/2026 00:30:00;2026-03-28;default;français;Très bien;4;Par téléphone, Autre;;Oui;;;;5;;;Un ami;Rapide et efficace;;;;Nouveau;;;;`,
  ]);
});
