// The observatory's own look, served at /observatoire.css beside the shared /pages.css (the pages'
// strict CSP allows stylesheets from 'self' only, and inline SVG takes its colours from here).
// Badges: white text on DSFR-like colours, each ≥ 5.7:1 (WCAG AA asks 4.5:1), in both colour schemes.
export const OBSERVATORY_CSS = `
.badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.25rem; font-size: 0.875rem; font-weight: 700;
  color: #fff; background: #666; }
.badge.level-good { background: #18753c; }
.badge.level-average { background: #b34000; }
.badge.level-poor { background: #ce0500; }
.badge.level-not_enough_data, .badge.level-no_answers { background: #666; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
caption { text-align: start; font-weight: 700; padding-bottom: 0.5rem; }
th, td { text-align: start; padding: 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; overflow-wrap: break-word; }
thead th { font-size: 0.875rem; }
@media (max-width: 30rem) { th, td { padding-inline: 0.25rem; } }
th .administration, td .review-count { display: block; font-weight: 400; color: var(--muted); }
.number { text-align: end; font-variant-numeric: tabular-nums; }
.score { font-weight: 700; margin-inline-end: 0.25rem; white-space: nowrap; }
.entity { color: var(--muted); margin-top: -0.5rem; }
.cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--border); padding: 1rem; }
.card h3 { margin: 0 0 0.5rem; font-size: 1.125rem; }
.card p { margin: 0.25rem 0; }
.card .value { font-size: 1.75rem; font-weight: 700; }
.card .answers, .card .hint { color: var(--muted); font-size: 0.875rem; }
table.trend { max-width: 45rem; }
table.trend th[scope="row"] { width: 40%; }
table.trend td { width: 30%; }
table.trend .figure { display: block; text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
svg.bar { display: block; margin-top: 0.25rem; }
svg.bar .track { fill: var(--border); fill-opacity: 0.3; }
svg.bar .reviews { fill: #6a6af4; }
svg.bar .satisfaction { fill: var(--blue); }
.hint { color: var(--muted); font-size: 0.875rem; max-width: 45rem; }
.open-data { margin-top: 2rem; }
`;
