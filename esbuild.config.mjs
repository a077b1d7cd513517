// Builds everything that ships into dist/: the collector's command line (which also serves), the
// benchmarks and the widget. `node esbuild.config.mjs` once; npm start / test / bench call it first.
import { build, transform } from 'esbuild';
import { Resvg } from '@resvg/resvg-js';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createHash } from 'node:crypto';
import zlib, { brotliCompressSync, gzipSync } from 'node:zlib';

rmSync('dist', { recursive: true, force: true });

const node = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...node,
  // The read worker runs in a thread of its own (server/agency/worker-reads.ts), so it is a file of its own.
  entryPoints: { cli: 'server/cli.ts', 'read-worker': 'server/agency/read-worker.ts' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node' },
});
// `npx jdma` in the checkout, as the README documents: npm links the bins of dependencies only, not the project's own.
if (existsSync('node_modules/.bin')) {
  rmSync('node_modules/.bin/jdma', { force: true });
  symlinkSync('../../dist/cli.js', 'node_modules/.bin/jdma');
  chmodSync('dist/cli.js', 0o755);
}

// The pages' own script and stylesheet (server/pages/client/), minified beside the server bundle,
// where server/pages/client-files.ts looks for them.
mkdirSync('dist/client', { recursive: true });
for (const name of readdirSync('server/pages/client')) {
  const loader = name.endsWith('.css') ? 'css' : 'js';
  const { code } = await transform(readFileSync(`server/pages/client/${name}`, 'utf8'), { loader, minify: true, target: 'es2020' });
  writeFileSync(`dist/client/${name}`, code);
}

await build({
  ...node,
  entryPoints: ['bench/*.ts'],
  outdir: 'dist/bench',
});

// ---- The e-mail button as PNG: Gmail and Outlook show no SVG. Rasterised here from the very SVG
// that /button.svg serves (server/button-svg.ts, bundled for this script), never drawn twice. The
// text is set in a font file from the npm registry (Inter, SIL OFL), not a system font, so the
// PNGs come out the same on any machine; the SVG's last family, sans-serif, is mapped to it.
{
  const { outputFiles } = await build({ ...node, sourcemap: false, entryPoints: ['server/button-svg.ts'], write: false });
  const buttons = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
  const require = createRequire(import.meta.url);
  const font = require.resolve('@expo-google-fonts/inter/500Medium/Inter_500Medium.ttf');
  const fontOptions = { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: 'Inter', sansSerifFamily: 'Inter' };
  for (const theme of Object.keys(buttons.BUTTON_THEMES)) {
    for (const lang of ['fr', 'en']) {
      for (const scale of buttons.BUTTON_SCALES) {
        const png = new Resvg(buttons.buttonSvg(theme, lang), {
          fitTo: { mode: 'zoom', value: scale },
          font: fontOptions,
        })
          .render()
          .asPng();
        const file = `dist/${buttons.buttonPngFile(theme, lang, scale)}`;
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, png);
      }
    }
  }
}

// ---- The French state's design system (DSFR), for the agency space: the official package's
// stylesheet, script, Marianne fonts (woff2: every browser the space supports reads it) and the
// icons the stylesheet names, copied with gzip and brotli siblings so that the collector serves them
// itself (no CDN: the pages' CSP keeps 'self'). The version is in the path: files are immutable.
{
  const require = createRequire(import.meta.url);
  const root = `${dirname(require.resolve('@gouvfr/dsfr/package.json'))}/dist`;
  const { version } = JSON.parse(readFileSync(`${dirname(root)}/package.json`, 'utf8'));
  const css = readFileSync(`${root}/dsfr.min.css`, 'utf8');
  const files = new Set([
    'dsfr.min.css',
    'dsfr.module.min.js',
    'favicon/favicon.svg',
    ...readdirSync(`${root}/fonts`)
      .filter((file) => file.endsWith('.woff2'))
      .map((file) => `fonts/${file}`),
    ...[...css.matchAll(/url\((icons\/[^)]+\.svg)\)/g)].map((match) => match[1]),
  ]);
  for (const file of files) {
    const body = readFileSync(`${root}/${file}`);
    const target = `dist/dsfr/${version}/${file}`;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, body);
    if (!file.endsWith('.woff2')) {
      writeFileSync(`${target}.gz`, gzipSync(body, { level: 9 }));
      writeFileSync(`${target}.br`, brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
  }
}

// ---- The widget (SPEC §5): the hashed form chunks first, then the loader that names them.
// Budgets (gzip -9) fail the build: they are what every public-service page pays for the button.
// widget/form.tsx picks the classic h() JSX itself (a pragma), for bytes.
const WIDGET_TARGET = ['chrome100', 'firefox100', 'safari15', 'edge100'];
// esbuild keeps the space after a custom property's colon; the widget's bytes are counted.
const minifiedCss = async (file) =>
  (await transform(readFileSync(file, 'utf8'), { loader: 'css', minify: true, target: WIDGET_TARGET })).code
    .trim()
    .replace(/(--[\w-]+): /g, '$1:');
const browser = {
  bundle: true,
  platform: 'browser',
  target: WIDGET_TARGET,
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  metafile: true,
};

// One form chunk per language: the page's language is known before the chunk is asked for, and the
// six other languages' texts would cost several kB gzip. They are cut at build time from the two files
// that hold texts (`{ fr: '…', en: '…', … }` → `{ fr: '…' }`), and the check below proves none survived.
// The languages are listed once, in shared/questionnaire.ts: read from there, through esbuild itself.
const { WIDGET_LANGS: LANGS } = await import(
  `data:text/javascript,${encodeURIComponent((await build({ entryPoints: ['shared/questionnaire.ts'], bundle: true, write: false, format: 'esm', logLevel: 'warning' })).outputFiles[0].text)}`
);
const keepOnly = (lang) => ({
  name: 'keep-only-lang',
  setup(builder) {
    const other = new RegExp(`\\b(${LANGS.filter((l) => l !== lang).join('|')}): '(?:[^'\\\\]|\\\\.)*',?`, 'g');
    builder.onLoad({ filter: /shared[\\/](questionnaire|messages|problem-report)\.ts$/ }, ({ path }) => ({
      loader: 'ts',
      contents: readFileSync(path, 'utf8').replace(other, ''),
    }));
  },
});
const formCss = JSON.stringify(await minifiedCss('widget/form.css'));
// The problem form (widget/problem-form.tsx, data-form="probleme") is a chunk of its own per language
// too, so that the rating form's chunk pays nothing for it; both share the one hash below.
const KINDS = { form: 'widget/form.tsx', problem: 'widget/problem-form.tsx' };
const texts = {};
for (const [kind, entry] of Object.entries(KINDS)) {
  for (const lang of LANGS) {
    const result = await build({
      ...browser,
      format: 'esm',
      entryPoints: { [`${kind}-${lang}`]: entry },
      write: false,
      outdir: 'dist/widget',
      define: { __FORM_CSS__: formCss },
      plugins: [keepOnly(lang)],
    });
    texts[`${kind}-${lang}`] = result.outputFiles[0].contents;
    const leftover = LANGS.find((l) => l !== lang && new RegExp(`\\b${l}:"`).test(Buffer.from(texts[`${kind}-${lang}`]).toString('utf8')));
    if (leftover) throw new Error(`${kind}-${lang} still holds "${leftover}" texts`);
  }
}
// One hash over every language's chunk, in every chunk's name: the loader then knows them all from
// the list of languages and that hash (`/widget/form-es-<hash>.js`), instead of one hashed path each,
// which cost the loader about 150 B gzip with seven languages.
const hash = createHash('sha256');
for (const name of Object.keys(texts)) hash.update(texts[name]);
const formHash = hash.digest('hex').slice(0, 8);
mkdirSync('dist/widget', { recursive: true });
const chunks = {};
for (const name of Object.keys(texts)) {
  chunks[name] = `dist/widget/${name}-${formHash}.js`;
  writeFileSync(chunks[name], texts[name]);
}

await build({
  ...browser,
  format: 'iife',
  entryPoints: { widget: 'widget/loader.ts' },
  outdir: 'dist',
  define: {
    __FORM_LANGS__: JSON.stringify(LANGS),
    __FORM_HASH__: JSON.stringify(formHash),
    __BUTTON_CSS__: JSON.stringify(await minifiedCss('widget/button.css')),
  },
});

const BUDGETS = [
  { name: 'loader (dist/widget.js)', files: ['dist/widget.js'], max: 1536 },
  ...Object.keys(KINDS).flatMap((kind) =>
    LANGS.map((lang) => ({
      name: `loader + ${lang} ${kind} chunk (styles inside)`,
      files: ['dist/widget.js', chunks[`${kind}-${lang}`]],
      max: 12288,
    })),
  ),
];
const sizes = (file) => {
  const bytes = readFileSync(file);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
console.log('Widget files (bytes):           raw     gzip   brotli');
for (const file of ['dist/widget.js', ...Object.values(chunks)]) {
  const s = sizes(file);
  console.log(`  ${file.padEnd(29)} ${String(s.raw).padStart(7)} ${String(s.gzip).padStart(8)} ${String(s.brotli).padStart(8)}`);
}
let over = false;
for (const budget of BUDGETS) {
  const gzip = budget.files.reduce((total, file) => total + sizes(file).gzip, 0);
  const ok = gzip <= budget.max;
  over ||= !ok;
  console.log(`  ${ok ? 'ok  ' : 'OVER'} ${budget.name}: ${gzip} / ${budget.max} B gzip -9`);
}
if (over) {
  console.error('Widget size budget exceeded (STYLE rule 6).');
  process.exit(1);
}
