import type { FastifyInstance } from 'fastify';
import { BUTTON_LABEL } from '../../shared/messages.ts';
import { escapeHtml } from '../pages/html.ts';
import { HttpError } from '../http-errors.ts';

// The button image for links in e-mails and letters (SPEC §5): `<a href=".../avis/ID"><img src=".../button.svg">`.
// Same colours as the widget's button (DSFR blue France; its dark-theme variant), text in the image
// for mail clients, and the link's <img alt> gives the accessible name.
const THEMES = {
  light: { background: '#000091', text: '#ffffff' },
  dark: { background: '#8585f6', text: '#161616' },
} as const;

export function buttonSvg(theme: keyof typeof THEMES, lang: 'fr' | 'en'): string {
  const { background, text } = THEMES[theme];
  const label = escapeHtml(BUTTON_LABEL[lang]);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="48" viewBox="0 0 200 48" role="img" aria-label="${label}">
<title>${label}</title>
<rect width="200" height="48" fill="${background}"/>
<g fill="none" stroke="${text}" stroke-width="2" stroke-linecap="round"><circle cx="26" cy="24" r="11"/><path d="M22 21v1M30 21v1M21 27q5 5 10 0"/></g>
<text x="116" y="29.5" text-anchor="middle" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="15" font-weight="500" fill="${text}">${label}</text>
</svg>
`;
}

export async function buttonImageRoutes(app: FastifyInstance): Promise<void> {
  // Browsers ask for it on every page of the collector; an empty answer keeps their consoles clean.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).header('cache-control', 'public, max-age=86400').send());

  app.get<{ Querystring: { theme?: string; lang?: string } }>('/button.svg', async (request, reply) => {
    const { theme = 'light', lang = 'fr' } = request.query;
    if (theme !== 'light' && theme !== 'dark') {
      throw new HttpError(400, 'invalid_query', 'theme must be "light" or "dark".', [{ field: 'theme', message: 'must be "light" or "dark"' }]);
    }
    if (lang !== 'fr' && lang !== 'en') {
      throw new HttpError(400, 'invalid_query', 'lang must be "fr" or "en".', [{ field: 'lang', message: 'must be "fr" or "en"' }]);
    }
    return reply
      .type('image/svg+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      // Opened on its own, the image may run nothing.
      .header('content-security-policy', "default-src 'none'")
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(buttonSvg(theme, lang));
  });
}
