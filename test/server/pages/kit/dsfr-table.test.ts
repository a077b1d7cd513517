import { expect, test } from 'vitest';
import { html } from '../../../../server/pages/html.ts';
import { table } from '../../../../server/pages/kit/dsfr.ts';

// The page kit's table: its scrolling frame is a focusable region named by the caption (the id the
// region points at exists, once), and a table marked too wide for a phone says that it scrolls.

const rows = [html`<tr><td>a</td><td>b</td></tr>`];

test.each([
  [{}, 'tableau-membres-de-l-entite-dinum', ''],
  [{ captionId: 'emplacements-caption', scrollHint: 'fr' as const }, 'emplacements-caption', '↔ Faites défiler le tableau'],
  [{ scrollHint: 'en' as const }, 'tableau-membres-de-l-entite-dinum', '↔ Scroll the table sideways'],
])('%o: a region labelled by its caption, and the hint only when asked', (options, id, hint) => {
  const text = table('Membres de l’entité DINUM', ['Adresse', 'Rôle'], rows, options).toString();
  expect(text).toContain(`<div class="fr-table__container" tabindex="0" role="region" aria-labelledby="${id}">`);
  expect(text.split(`id="${id}"`).length - 1).toBe(1);
  expect(text).toContain(`<caption id="${id}">Membres de l’entité DINUM</caption>`);
  if (hint) expect(text).toMatch(new RegExp(`^<p class="fr-text--xs fr-mb-1v fr-hidden-md table-scroll-hint">${hint}`));
  else expect(text).not.toContain('table-scroll-hint');
});
