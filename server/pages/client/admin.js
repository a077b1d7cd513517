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
