import { BUTTON_SIZE } from './button-svg.ts';
import type { Config } from './config.ts';

/** The one tag an agency pastes, as the snippet, the home page and the demo page show it. */
export const scriptTag = (base: string, procedure: string, placement?: string, form?: 'probleme'): string =>
  `<script src="${base}/widget.js" data-procedure="${procedure}"${placement ? ` data-placement="${placement}"` : ''}${form ? ` data-form="${form}"` : ''} async></script>`;

/** One of the snippet's blocks: what it is for, and the text to paste. */
export interface SnippetBlock {
  title: string;
  code: string;
}

/**
 * The snippet's five blocks: the web page's tag, the e-mail's button-link, the bare link (letters,
 * SMS, plain-text mail), then the « Signaler un problème » form's own tag and bare link. The placement labels the tag only: a placement is one integration point,
 * and the one chosen for a page (`site`) on an e-mail or a letter would count their ratings as the
 * page's. The links carry none (`default`, which every procedure has), so they work as pasted.
 */
export function snippetBlocks(config: Config, procedure: string, placement: string | undefined): SnippetBlock[] {
  const base = config.publicUrl;
  const link = `${base}/avis/${procedure}`;
  const unlabelled = placement
    ? `\u00a0; sans emplacement (avis comptés sous l’emplacement par défaut\u00a0; «\u00a0${placement}\u00a0» est celui de la balise)`
    : '';
  // Mail clients show no SVG (Gmail, Outlook), hence the PNG; the 2× image drawn in a box of the 1×
  // size stays sharp on high-density screens, and width/height keep the layout before images load.
  const image = `${base}/button.png?theme=light&amp;lang=fr&amp;scale=2`;
  return [
    { title: '1. Site web\u00a0: balise à coller à la fin de la démarche en ligne', code: scriptTag(base, procedure, placement) },
    {
      title: `2. Courriel\u00a0: bouton-lien à coller dans le HTML du message (image PNG, affichée par Gmail et Outlook)${unlabelled}`,
      code: `<a href="${link}"><img src="${image}" width="${BUTTON_SIZE.width}" height="${BUTTON_SIZE.height}" alt="Je donne mon avis"></a>`,
    },
    { title: `3. Lien seul\u00a0: pour un courrier, un SMS ou un courriel en texte brut${unlabelled}`, code: link },
    {
      title:
        '4. «\u00a0Signaler un problème\u00a0»\u00a0: balise du second formulaire (problème technique, situation personnelle, suggestion), à coller sur les pages de la démarche',
      code: scriptTag(base, procedure, placement, 'probleme'),
    },
    {
      title: `5. «\u00a0Signaler un problème\u00a0»\u00a0: lien seul, pour un courriel ou une page sans JavaScript${unlabelled}`,
      code: `${base}/probleme/${procedure}`,
    },
  ];
}

/**
 * What an agency pastes to embed a procedure (`jdma snippet`): five blocks, each under its own
 * heading line, so that what sits between two headings can be copied and pasted as it is.
 */
export function snippet(config: Config, procedure: string, placement: string | undefined): string {
  return snippetBlocks(config, procedure, placement)
    .map(({ title, code }) => `===== ${title} =====\n${code}`)
    .join('\n\n');
}
