// npm run bench:scrub — the free-text scrubber measured: recall per category and clean sentences
// left unchanged over the labelled corpus (test/fixtures/scrub-corpus.ts, the figures the test
// asserts), then throughput in MB/s of UTF-8 text, and the slowest adversarial input. Targets:
// recall ≥ 99 % for e-mail, phone, NIR, IBAN and card, ≥ 90 % for the rest, ≥ 98 % of clean
// sentences unchanged, ≥ 5 MB/s.
import { LIMITS } from '../shared/questionnaire.ts';
import { scrubFreeText } from '../server/scrub-free-text.ts';
import { ADVERSARIAL_INPUTS } from '../test/fixtures/scrub-adversarial.ts';
import { SCRUB_CORPUS } from '../test/fixtures/scrub-corpus.ts';
import { CLEAN_TARGET, scoreCorpus } from '../test/fixtures/scrub-recall.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const score = scoreCorpus(SCRUB_CORPUS);
const langs = { fr: SCRUB_CORPUS.filter((s) => s.lang === 'fr').length, en: SCRUB_CORPUS.filter((s) => s.lang === 'en').length };
console.log(`Corpus: ${SCRUB_CORPUS.length} sentences (${langs.fr} fr, ${langs.en} en), ${score.clean.sentences} without personal data\n`);
console.log('| category | items | found | recall | target | |');
console.log('|---|---|---|---|---|---|');
for (const c of score.categories) {
  console.log(
    `| ${c.category} | ${c.items} | ${c.found} | ${percent(c.recall)} | ≥ ${percent(c.target)} | ${c.recall >= c.target ? 'met' : 'MISSED'} |`,
  );
}
console.log(
  `| clean sentences unchanged | ${score.clean.sentences} | ${score.clean.unchanged} | ${percent(score.clean.share)} | ≥ ${percent(CLEAN_TARGET)} | ${score.clean.share >= CLEAN_TARGET ? 'met' : 'MISSED'} |`,
);
console.log(`\nLook-alikes with a wrong key left unchanged: ${score.lookalikes.unchanged}/${score.lookalikes.sentences}`);
console.log(`Detections outside the labelled items, in sentences with personal data: ${score.spurious.length}`);
for (const line of score.spurious) console.log(`  ${line}`);
for (const c of score.categories) for (const miss of c.missed) console.log(`  missed ${c.category}: ${miss}`);
for (const change of score.clean.changed) console.log(`  clean sentence changed: ${change}`);

/** MB/s of UTF-8 text scrubbed, median of ROUNDS rounds of SECONDS each. */
function throughput(texts: readonly { text: string; lang: 'fr' | 'en' }[]): number {
  const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t.text), 0);
  for (const t of texts) scrubFreeText(t.text, t.lang); // warm up
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let passes = 0;
    const started = performance.now();
    while (performance.now() - started < SECONDS * 1000) {
      for (const t of texts) scrubFreeText(t.text, t.lang);
      passes++;
    }
    rates.push((bytes * passes) / 1e6 / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

// The corpus as people send it (one sentence a comment), then glued into full 3,000-character comments.
const sentences = SCRUB_CORPUS.map(({ text, lang }) => ({ text, lang }));
const joined = SCRUB_CORPUS.map((s) => s.text).join(' ');
const comments: { text: string; lang: 'fr' }[] = [];
for (let at = 0; at < joined.length; at += LIMITS.comment) comments.push({ text: joined.slice(at, at + LIMITS.comment), lang: 'fr' });
console.log(`\nThroughput (median of ${ROUNDS} rounds of ${SECONDS} s, MB/s of UTF-8 text; target ≥ 5):`);
console.log(`  one corpus sentence per call:     ${throughput(sentences).toFixed(1)} MB/s`);
console.log(`  3,000-character comments:         ${throughput(comments).toFixed(1)} MB/s`);

// The adversarial inputs the test bounds, 20 runs each: the slowest input by its best run (its
// cost), and the slowest single run seen (what a loaded machine may show).
let slowest = { name: '', ms: 0 };
let worstRun = 0;
for (const [name, text] of ADVERSARIAL_INPUTS) {
  let best = Infinity;
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    scrubFreeText(text, 'fr');
    const ms = performance.now() - started;
    best = Math.min(best, ms);
    worstRun = Math.max(worstRun, ms);
  }
  if (best > slowest.ms) slowest = { name, ms: best };
}
console.log(
  `\nAdversarial inputs (${ADVERSARIAL_INPUTS.length}, ${LIMITS.comment} characters each): slowest ${slowest.ms.toFixed(2)} ms (${slowest.name}), slowest single run ${worstRun.toFixed(2)} ms`,
);
