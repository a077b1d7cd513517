import type { Config } from './config.ts';

/** What an agency pastes to embed a procedure (`jdma snippet`): the script tag, the e-mail link, the bare link. */
export function snippet(config: Config, procedure: string, placement: string | undefined): string {
  const base = config.publicUrl;
  const placementAttr = placement ? ` data-placement="${placement}"` : '';
  const link = `${base}/avis/${procedure}${placement ? `?placement=${placement}` : ''}`;
  return [
    '<!-- Bouton « Je donne mon avis » : à coller à la fin de la démarche en ligne -->',
    `<script src="${base}/widget.js" data-procedure="${procedure}"${placementAttr} async></script>`,
    '',
    '<!-- Lien pour les e-mails, courriers et pages sans JavaScript -->',
    `<a href="${link}"><img src="${base}/button.svg?theme=light" alt="Je donne mon avis" width="200" height="48"></a>`,
    '',
    `Lien seul : ${link}`,
  ].join('\n');
}
