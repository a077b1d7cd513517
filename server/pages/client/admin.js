// The « Copier » buttons of the space's settings and keys pages: hidden in the markup, shown only
// where the Clipboard API exists, so that without it nobody meets a button that does nothing (the
// code stays selectable in its field).
for (const button of document.querySelectorAll('button[data-copy]')) {
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(`${button.dataset.copy}-statut`);
  if (!field || !status || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', () => {
    status.textContent = '';
    navigator.clipboard.writeText(field.value).then(
      () => {
        status.textContent = button.dataset.copied;
      },
      () => {
        field.select();
        status.textContent = button.dataset.failed;
      },
    );
  });
}

// The live preview of a form draft on the settings page (SPEC §3 "Customisation"): the widget's own
// form chunk, mounted with the draft instead of the published form and a transport that stores
// nothing, so that the agency sees the real form before publishing and no rating is made by it.
const preview = document.getElementById('apercu-formulaire');
if (preview) {
  const opener = preview.querySelector('button');
  const host = preview.querySelector('.jdma-apercu');
  import(preview.dataset.chunk).then((chunk) => {
    const root = host.attachShadow({ mode: 'open' });
    const box = document.createElement('div');
    box.className = 'jdma light';
    root.append(box);
    const stored = { review: { id: 0, token: '', expires_at: '' } };
    const handle = chunk.mountForm(
      {
        collector: location.origin,
        root,
        box,
        procedure: 'apercu',
        placement: undefined,
        lang: preview.dataset.lang,
        form: JSON.parse(preview.dataset.form),
        adopt: (css) => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(css);
          root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
        },
        emit: () => {},
        log: () => {},
      },
      { rate: async () => stored, followUp: async () => 'sent', flush: async () => {} },
    );
    opener.hidden = false;
    opener.addEventListener('click', () => handle.open(opener));
  });
}
