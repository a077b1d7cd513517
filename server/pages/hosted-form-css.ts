// The hosted form's look (server/pages/hosted-form-page.ts), on top of /pages.css: the widget's tiles
// and buttons (DSFR), and the follow-ups of a channel shown only once it is ticked. :has() needs no
// script; a browser without it shows every question, and the server keeps only answers that apply.
export const HOSTED_FORM_CSS = `
fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; min-width: 0; }
legend { font-weight: 700; padding: 0; margin-bottom: 0.5rem; }
.group { margin: 0.5rem 0; }
.group > legend { font-weight: 400; color: var(--muted); font-size: 0.875rem; }
.hint, small { color: var(--muted); font-size: 0.875rem; }
.tiles { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.tile { flex: 1 1 3rem; display: flex; flex-direction: column; align-items: center; gap: 0.25rem; padding: 0.5rem;
  border: 1px solid var(--border); cursor: pointer; text-align: center; }
.five { display: grid; grid-template-columns: repeat(5, 1fr); }
.five .tile { min-width: 0; }
.ends { display: flex; justify-content: space-between; gap: 1rem; margin: 0.25rem 0 0; }
.ends small:last-child { text-align: end; }
.tile:has(:checked) { border-color: var(--blue); box-shadow: inset 0 0 0 2px var(--blue); font-weight: 700; }
.tile svg { color: var(--blue); }
.check { display: flex; gap: 0.5rem; align-items: flex-start; padding: 0.25rem 0; cursor: pointer; }
.check input { width: 1.25rem; height: 1.25rem; margin: 0.125rem 0; accent-color: var(--blue); }
.follow { margin-block: 0.5rem 1rem; margin-inline-start: 1.75rem; padding-inline-start: 1rem; border-inline-start: 2px solid var(--border); }
.channel:not(:has(> .check :checked)) > .follow { display: none; }
.reached:not(:has(input[value="yes"]:checked)) + .scale { display: none; }
.field { margin-bottom: 1.5rem; }
.field label { display: block; font-weight: 700; margin-bottom: 0.25rem; }
input[type="text"], textarea { display: block; width: 100%; padding: 0.5rem 0.75rem; font: inherit; color: var(--text);
  background: var(--bg); border: 1px solid var(--border); border-bottom: 2px solid var(--text); border-radius: 0; }
.actions { display: flex; flex-wrap: wrap; gap: 1rem; }
button { min-height: 2.5rem; padding: 0.5rem 1rem; font: inherit; font-weight: 500; border: 1px solid var(--blue);
  border-radius: 0; cursor: pointer; color: var(--blue); background: transparent; }
button.primary { color: #fff; background: var(--blue); }
@media (prefers-color-scheme: dark) { button.primary { color: #161616; } }
.errors { border: 2px solid #ce0500; padding: 1rem; margin-bottom: 1.5rem; }
.errors h2 { font-size: 1.25rem; margin: 0 0 0.5rem; }
.error { color: #ce0500; font-weight: 700; margin: 0 0 0.5rem; }
@media (prefers-color-scheme: dark) { .errors { border-color: #ff5655; } .error { color: #ff5655; } }
.procedure { color: var(--muted); }
.notice { border-inline-start: 4px solid var(--blue); padding: 0.5rem 1rem; font-weight: 700; }
input:focus-visible, textarea:focus-visible, button:focus-visible, .tile:has(:focus-visible) { outline: 2px solid #0a76f6; outline-offset: 2px; }
`;
