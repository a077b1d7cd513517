import { BUTTON_LABEL } from '../shared/messages.ts';
import type { Lang } from '../shared/questionnaire.ts';
import { escapeHtml } from './pages/html.ts';

// The button image for links to the hosted form in e-mails, letters and pages without JavaScript.
// Same colours as the widget's button (DSFR blue France; its dark-theme variant), text in the image
// for mail clients, and the link's <img alt> gives the accessible name. The build rasterises this
// very SVG into the PNGs of /button.png (esbuild.config.mjs), so both images are one drawing.
export const BUTTON_THEMES = {
  light: { background: '#000091', text: '#ffffff' },
  dark: { background: '#8585f6', text: '#161616' },
} as const;
export type ButtonTheme = keyof typeof BUTTON_THEMES;

/** CSS pixels; the PNGs exist at 1× and 2× of this. */
export const BUTTON_SIZE = { width: 200, height: 48 } as const;
export const BUTTON_SCALES = [1, 2] as const;

/** Where the build writes each PNG, relative to dist/, and where the collector reads it. */
export const buttonPngFile = (theme: ButtonTheme, lang: Lang, scale: number): string => `button/button-${theme}-${lang}@${scale}x.png`;

export function buttonSvg(theme: ButtonTheme, lang: Lang): string {
  const { background, text } = BUTTON_THEMES[theme];
  const { width, height } = BUTTON_SIZE;
  const label = escapeHtml(BUTTON_LABEL[lang]);
  // The family list ends in sans-serif: the PNG build maps that to the font file it ships (Inter),
  // so the PNG looks the same on every machine, whatever fonts are installed.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}">
<title>${label}</title>
<rect width="${width}" height="${height}" fill="${background}"/>
<g fill="none" stroke="${text}" stroke-width="2" stroke-linecap="round"><circle cx="26" cy="24" r="11"/><path d="M22 21v1M30 21v1M21 27q5 5 10 0"/></g>
<text x="116" y="29.5" text-anchor="middle" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="15" font-weight="500" fill="${text}">${label}</text>
</svg>
`;
}
