// The observatory's own look, served at /observatoire.css beside the shared /pages.css (the pages'
// strict CSP allows stylesheets from 'self' only, and inline SVG takes its colours from here).
// Badges: white text on DSFR-like colours, each ≥ 5.7:1 (WCAG AA asks 4.5:1), in both colour schemes.
export const OBSERVATORY_CSS = `
.lang-switch { text-align: end; margin: 0; }
.badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.25rem; font-size: 0.875rem; font-weight: 700;
  color: #fff; background: #666; white-space: nowrap; }
.badge.level-good { background: #18753c; }
.badge.level-average { background: #b34000; }
.badge.level-poor { background: #ce0500; }
.badge.level-not_enough_data, .badge.level-no_answers { background: #666; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
caption { text-align: start; font-weight: 700; padding-bottom: 0.5rem; }
th, td { text-align: start; padding: 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; }
.number { text-align: end; font-variant-numeric: tabular-nums; }
.score { font-weight: 700; margin-inline-end: 0.25rem; white-space: nowrap; }
.entity { color: var(--muted); margin-top: -0.5rem; }
.notice { border-inline-start: 4px solid #666; padding: 0.5rem 1rem; }
.cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--border); padding: 1rem; }
.card h3 { margin: 0 0 0.5rem; font-size: 1.125rem; }
.card p { margin: 0.25rem 0; }
.card .value { font-size: 1.75rem; font-weight: 700; }
.card .answers, .card .hint { color: var(--muted); font-size: 0.875rem; }
figure.trend { margin: 1rem 0; }
figure.trend figcaption { color: var(--muted); font-size: 0.875rem; max-width: 45rem; }
svg.trend { width: 100%; height: auto; max-width: 45rem; }
svg.trend .bar { fill: #6a6af4; }
svg.trend .dot { fill: var(--text); }
svg.trend .axis { stroke: var(--border); stroke-width: 1; }
svg.trend .tick { fill: var(--muted); font-size: 12px; }
.open-data { margin-top: 2rem; }
`;
