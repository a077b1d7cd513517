// What each mail says, in French (default) or English: a subject, a plain-text part and an
// accessible HTML part (its language declared, real headings, no layout table, no image, so no
// tracking pixel). A mail carries links and counts, never a review's text (SPEC §10).
import { LANGUAGES } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { html, type SafeHtml } from '../pages/html.ts';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailParts {
  subject: string;
  heading: string;
  paragraphs: string[];
  link?: { label: string; href: string };
  /** Links after the main one, each a paragraph of its own (a digest's procedures). */
  links?: { label: string; href: string }[];
  footer: string;
  /** Below the footer: how to stop this mail, or to choose one's mails. */
  footerLinks?: { label: string; href: string }[];
}

/** One template for every mail: the text part says what the HTML part says, line for line. */
export function render(lang: Lang, parts: MailParts): MailContent {
  const link = parts.link;
  const links = parts.links ?? [];
  const footerLinks = parts.footerLinks ?? [];
  const text = [
    parts.heading,
    '',
    ...parts.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(link ? [`${link.label}${LANGUAGES[lang].colon}${link.href}`, ''] : []),
    ...links.flatMap((more) => [`${more.label}${LANGUAGES[lang].colon}${more.href}`, '']),
    '-- ',
    parts.footer,
    ...footerLinks.map((more) => `${more.label}${LANGUAGES[lang].colon}${more.href}`),
    '',
  ].join('\n');
  const linkHtml: SafeHtml | false =
    link !== undefined &&
    html`<p><a href="${link.href}">${link.label}</a></p>
<p>${lang === 'en' ? 'If the button does not work, copy this address into your browser:' : 'Si le lien ne fonctionne pas, copiez cette adresse dans votre navigateur\u00a0:'}<br>${link.href}</p>`;
  const body = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.subject}</title>
</head>
<body>
<main>
<h1>${parts.heading}</h1>
${parts.paragraphs.map(
  (paragraph) => html`<p>${paragraph}</p>
`,
)}${linkHtml}${links.map(
  (more) => html`<p><a href="${more.href}">${more.label}</a></p>
`,
)}
</main>
<footer><p>${parts.footer}</p>${footerLinks.map((more) => html`<p><a href="${more.href}">${more.label}</a></p>`)}</footer>
</body>
</html>
`;
  return { subject: parts.subject, text, html: body.value };
}

export const FOOTER: Record<Lang, string> = {
  fr: 'Je donne mon avis\u00a0: ce message automatique vous est envoyé par le service, ne répondez pas à cette adresse.',
  en: 'Je donne mon avis: this automatic message is sent by the service; do not reply to this address.',
};

/** The one-time sign-in link, asked for on /espace/connexion or sent by `jdma login-link --send`. */
export function loginLinkMail(lang: Lang, url: string): MailContent {
  return lang === 'en'
    ? render(lang, {
        subject: 'Your sign-in link to the agency space',
        heading: 'Sign in to the agency space',
        paragraphs: [
          'Someone, probably you, asked to sign in to the agency space of Je donne mon avis with this address.',
          'This link signs you in once, within 15 minutes. If you did not ask for it, ignore this message: nothing happens without the link.',
        ],
        link: { label: 'Sign in', href: url },
        footer: FOOTER.en,
      })
    : render(lang, {
        subject: 'Votre lien de connexion à l’espace agence',
        heading: 'Connexion à l’espace agence',
        paragraphs: [
          'Quelqu’un, sans doute vous, a demandé à se connecter à l’espace agence de Je donne mon avis avec cette adresse.',
          'Ce lien vous connecte une seule fois, dans les 15 minutes. Si vous n’avez rien demandé, ignorez ce message\u00a0: rien ne se passe sans le lien.',
        ],
        link: { label: 'Se connecter', href: url },
        footer: FOOTER.fr,
      });
}

const ROLE_WORDS: Record<Lang, Record<'admin' | 'reader', string>> = {
  fr: { admin: 'administrateur', reader: 'lecteur' },
  en: { admin: 'admin', reader: 'reader' },
};

/** A new member's invitation: the entity, the role, who invited, and a link valid 7 days. */
export function invitationMail(lang: Lang, o: { entity: string; role: 'admin' | 'reader'; inviter: string; url: string }): MailContent {
  const role = ROLE_WORDS[lang][o.role];
  return lang === 'en'
    ? render(lang, {
        subject: `Invitation to the agency space: ${o.entity}`,
        heading: 'You are invited to the agency space',
        paragraphs: [
          `${o.inviter} added you to ${o.entity} in Je donne mon avis, as ${role}: you can read the reviews of its procedures${o.role === 'admin' ? ' and manage them' : ''}.`,
          'This link signs you in once, within 7 days. Afterwards, ask for a new sign-in link on the sign-in page.',
        ],
        link: { label: 'Accept and sign in', href: o.url },
        footer: FOOTER.en,
      })
    : render(lang, {
        subject: `Invitation à l’espace agence\u00a0: ${o.entity}`,
        heading: 'Vous êtes invité à l’espace agence',
        paragraphs: [
          `${o.inviter} vous a ajouté à l’entité «\u00a0${o.entity}\u00a0» dans Je donne mon avis, comme ${role}\u00a0: vous pouvez lire les avis de ses démarches${o.role === 'admin' ? ' et les gérer' : ''}.`,
          'Ce lien vous connecte une seule fois, dans les 7 jours. Ensuite, demandez un nouveau lien sur la page de connexion.',
        ],
        link: { label: 'Accepter et se connecter', href: o.url },
        footer: FOOTER.fr,
      });
}

/** To each admin of an entity: an agent asks to join it; they answer on the members page. */
export function accessRequestMail(lang: Lang, o: { entity: string; email: string; url: string }): MailContent {
  return lang === 'en'
    ? render(lang, {
        subject: `Access request to ${o.entity}`,
        heading: 'An agent asks to join your entity',
        paragraphs: [
          `${o.email} asks to join ${o.entity} in the agency space of Je donne mon avis.`,
          'As an admin, accept it (as reader or admin) or refuse it on the members page: they will get your answer by mail. Accept only an address you know.',
        ],
        link: { label: 'Answer the request', href: o.url },
        footer: FOOTER.en,
      })
    : render(lang, {
        subject: `Demande d’accès à l’entité «\u00a0${o.entity}\u00a0»`,
        heading: 'Un agent demande à rejoindre votre entité',
        paragraphs: [
          `${o.email} demande à rejoindre l’entité «\u00a0${o.entity}\u00a0» dans l’espace agence de Je donne mon avis.`,
          'En tant qu’administrateur, acceptez la demande (comme lecteur ou administrateur) ou refusez-la sur la page des membres\u00a0: la personne recevra la réponse par courriel. N’acceptez qu’une adresse que vous connaissez.',
        ],
        link: { label: 'Répondre à la demande', href: o.url },
        footer: FOOTER.fr,
      });
}

/** To the agent who asked: accepted, with a one-time sign-in link valid 7 days, as an invitation's. */
export function accessAcceptedMail(lang: Lang, o: { entity: string; role: 'admin' | 'reader'; url: string }): MailContent {
  const role = ROLE_WORDS[lang][o.role];
  return lang === 'en'
    ? render(lang, {
        subject: `Your access request to ${o.entity} is accepted`,
        heading: 'Your access request is accepted',
        paragraphs: [
          `An admin of ${o.entity} accepted your request: you are a member, as ${role}.`,
          'This link signs you in once, within 7 days. Afterwards, ask for a new sign-in link on the sign-in page.',
        ],
        link: { label: 'Sign in', href: o.url },
        footer: FOOTER.en,
      })
    : render(lang, {
        subject: `Votre demande d’accès à l’entité «\u00a0${o.entity}\u00a0» est acceptée`,
        heading: 'Votre demande d’accès est acceptée',
        paragraphs: [
          `Un administrateur de l’entité «\u00a0${o.entity}\u00a0» a accepté votre demande\u00a0: vous en êtes membre, comme ${role}.`,
          'Ce lien vous connecte une seule fois, dans les 7 jours. Ensuite, demandez un nouveau lien sur la page de connexion.',
        ],
        link: { label: 'Se connecter', href: o.url },
        footer: FOOTER.fr,
      });
}

/** To the agent who asked: refused; nothing else is said of the entity. */
export function accessRefusedMail(lang: Lang, o: { entity: string }): MailContent {
  return lang === 'en'
    ? render(lang, {
        subject: `Your access request to ${o.entity} is refused`,
        heading: 'Your access request is refused',
        paragraphs: [
          `The admins of ${o.entity} refused your request to join it in the agency space of Je donne mon avis.`,
          'If you think this is a mistake, ask a colleague who is a member of the entity to contact its admins.',
        ],
        footer: FOOTER.en,
      })
    : render(lang, {
        subject: `Votre demande d’accès à l’entité «\u00a0${o.entity}\u00a0» est refusée`,
        heading: 'Votre demande d’accès est refusée',
        paragraphs: [
          `Les administrateurs de l’entité «\u00a0${o.entity}\u00a0» ont refusé votre demande d’accès à l’espace agence de Je donne mon avis.`,
          'S’il s’agit d’une erreur, demandez à un collègue membre de l’entité de contacter ses administrateurs.',
        ],
        footer: FOOTER.fr,
      });
}

/** `jdma mail test`: proves the way out works, and names the collector that sent it. */
export function testMail(lang: Lang, publicUrl: string): MailContent {
  return lang === 'en'
    ? render(lang, {
        subject: 'Test mail from Je donne mon avis',
        heading: 'Mail works',
        paragraphs: [`The collector at ${publicUrl} can send mail: sign-in links will arrive.`],
        footer: FOOTER.en,
      })
    : render(lang, {
        subject: 'Message d’essai de Je donne mon avis',
        heading: 'L’envoi de courriels fonctionne',
        paragraphs: [`Le collecteur ${publicUrl} sait envoyer des courriels\u00a0: les liens de connexion arriveront.`],
        footer: FOOTER.fr,
      });
}
