// Shared look of the collector's own pages (home, hosted form, observatory): DSFR-like, sober.
// A module rather than a .css file so that the bundled server and the tests load it the same way.
export const PAGES_CSS = `
:root { color-scheme: light dark; --blue: #000091; --text: #161616; --bg: #fff; --muted: #3a3a3a; --border: #929292; }
@media (prefers-color-scheme: dark) {
  :root { --blue: #8585f6; --text: #f6f6f6; --bg: #161616; --muted: #cecece; --border: #6a6a6a; }
}
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--text); background: var(--bg); line-height: 1.5; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
header.site { border-bottom: 1px solid var(--border); padding: 1rem; }
header.site p { margin: 0; font-weight: 700; max-width: 60rem; margin-inline: auto; }
a { color: var(--blue); text-underline-offset: 0.2em; }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 2px solid var(--blue); outline-offset: 2px; }
h1 { font-size: 2rem; line-height: 1.25; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
/* Snippets wrap rather than hide their end on a phone; copying them still gives the one line. */
pre { white-space: pre-wrap; overflow-wrap: anywhere; padding: 1rem; border: 1px solid var(--border); }
li { overflow-wrap: anywhere; }
img { vertical-align: middle; }
.email-button img { margin-block: 0.5rem; }
/* Up to six languages: they wrap on a phone rather than run into each other. */
.lang-switch { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 0.25rem 1rem; margin: 0; }
.notice { border-inline-start: 4px solid #666; padding: 0.5rem 1rem; }
footer.site { border-top: 1px solid var(--border); padding: 1rem; }
footer.site p { margin: 0 auto; max-width: 60rem; }
.operation { border-top: 1px solid var(--border); margin-top: 2rem; overflow-wrap: anywhere; }
details > summary { cursor: pointer; }
button.action { font: inherit; color: var(--bg); background: var(--blue); border: 0; border-radius: 0.25rem;
  padding: 0.5rem 1rem; cursor: pointer; }
a.button-link { display: inline-block; color: var(--bg); background: var(--blue); border-radius: 0.25rem; padding: 0.5rem 1rem;
  text-decoration: none; }
`;
