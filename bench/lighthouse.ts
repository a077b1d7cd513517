// npm run bench:lighthouse: Lighthouse's four scores (performance, accessibility, best practices,
// SEO) for every public page, on a phone (Lighthouse's default: a Moto G-sized screen, slow 4G and
// a 4× slower CPU, simulated) and on a desktop. Targets: 100 in accessibility and best practices,
// at least 95 in SEO and performance. Not part of `npm test`: a run takes minutes and its
// performance score follows the machine's load.
//
// The real collector (`jdma serve --demo`, SQLite in /tmp) with a few dozen ratings, so that the
// observatory shows scores, intervals and charts; Debian's Chromium (CHROME_PATH, /usr/bin/chromium
// by default), started here with a debugging port that Lighthouse drives.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { freePort, sleep, startCollector } from './helpers/collector.ts';

const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const PAGES = [
  '/',
  '/demo',
  '/observatoire',
  '/observatoire?q=demo&niveau=good&tri=avis',
  '/observatoire/demo',
  '/observatoire/demo?lang=en',
  '/avis/demo',
  '/confidentialite',
  '/accessibilite',
  '/accessibilite?lang=en',
  '/api/docs',
  '/api/docs/resultats',
  '/api/docs/schemas',
  '/espace/connexion',
];
// `npm run bench:lighthouse -- /api/docs /`: only the pages named.
const pages = process.argv.length > 2 ? process.argv.slice(2) : PAGES;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const TARGETS: Record<(typeof CATEGORIES)[number], number> = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 95 };

const dir = mkdtempSync(join(tmpdir(), 'jdma-bench-lighthouse-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const collector = await startCollector(port, { DATABASE_PATH: join(dir, 'lighthouse.sqlite'), FEED_MIN_REVIEWS: '20', LOG_LEVEL: 'warn' }, [
  '--demo',
]);
const debugPort = await freePort();
const chrome = spawn(
  CHROME_PATH,
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    `--remote-debugging-port=${debugPort}`,
    `--user-data-dir=${join(dir, 'chrome')}`,
    'about:blank',
  ],
  { stdio: 'ignore' },
);
try {
  // Ratings over the last months, so that the procedure's page has a score, its interval and a trend.
  const satisfactions = ['good', 'good', 'good', 'medium', 'bad'];
  for (let i = 0; i < 60; i++) {
    const reply = await fetch(`${base}/api/v1/reviews`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ procedure: 'demo', satisfaction: satisfactions[i % satisfactions.length] }),
    });
    if (reply.status !== 201) throw new Error(`rating ${i}: ${reply.status} ${await reply.text()}`);
  }
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${debugPort}/json/version`)).ok) break;
    } catch {}
    await sleep(100);
  }

  const rows: string[][] = [];
  let missed = 0;
  for (const form of ['mobile', 'desktop'] as const) {
    for (const path of pages) {
      const result = await lighthouse(
        `${base}${path}`,
        { port: debugPort, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] },
        form === 'desktop' ? desktopConfig : undefined,
      );
      if (!result) throw new Error(`no Lighthouse result for ${path}`);
      const { lhr } = result;
      const scores = CATEGORIES.map((category) => Math.round((lhr.categories[category]?.score ?? 0) * 100));
      const low = CATEGORIES.filter((category, i) => scores[i]! < TARGETS[category]);
      missed += low.length;
      rows.push([form, path, ...scores.map(String), low.length ? `below target: ${low.join(', ')}` : '']);
      // What lowered a score under its target, so that it can be fixed.
      for (const category of low) {
        const refs = lhr.categories[category]?.auditRefs ?? [];
        for (const ref of refs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) {
            console.error(`  ${form} ${path} ${category}: ${audit.id} (${audit.score}) ${audit.displayValue ?? ''}`);
          }
        }
      }
    }
  }
  const header = ['form', 'page', 'perf.', 'a11y', 'best pr.', 'SEO', ''];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`);
  for (const row of rows) console.log(line(row));
  console.log(
    missed === 0
      ? 'every page meets its targets'
      : `${missed} score(s) under target (100 a11y and best practices, ≥ 95 performance and SEO)`,
  );
  process.exitCode = missed === 0 ? 0 : 1;
} finally {
  chrome.kill('SIGTERM');
  collector.kill('SIGTERM');
  await new Promise((resolve) => collector.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
