// SPEC §7: the request log keeps what a request asked for (method, route, which parameters) and
// none of what it carried: a sign-in link's token, a member's address, the words of a search.

const REDACTED = '[redacted]';

/**
 * Whether segment i of a path is a secret: whatever follows /espace/lien/ (a live sign-in link), or
 * 20 characters or more of base64url with an upper-case letter, as every token and key the collector
 * makes is (256 random bits); the ids and slugs in its paths are lower-case or digits.
 */
const isSecret = (segments: string[], i: number): boolean =>
  (i > 2 && segments[1] === 'espace' && segments[2] === 'lien') || (/^[\w-]{20,}$/.test(segments[i]!) && /[A-Z]/.test(segments[i]!));

/** What any URL that needs redacting contains: most (a rating, an asset) go through untouched. */
const MAY_NEED_REDACTING = /[?@]|%40|[\w-]{20}|\/espace\/lien\//i;

/** An e-mail address, raw or percent-encoded (a member's address in the agency API's paths). */
const hasEmail = (segment: string): boolean => /@|%40/i.test(segment);

/**
 * The request's URL as the log may keep it: secrets and e-mail addresses in the path, and the value
 * of every query parameter (a search's words, an OpenID Connect code, an address typed in a filter),
 * replaced by "[redacted]". Query parameter names stay, unless they are not plain names.
 */
export function loggableUrl(url: string): string {
  if (!MAY_NEED_REDACTING.test(url)) return url;
  const queryAt = url.indexOf('?');
  const segments = (queryAt === -1 ? url : url.slice(0, queryAt)).split('/');
  const path = segments.map((segment, i) => (segment && (hasEmail(segment) || isSecret(segments, i)) ? REDACTED : segment)).join('/');
  if (queryAt === -1) return path;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      const plainName = /^[\w.[\]-]{1,40}$/.test(name) ? name : REDACTED;
      return equals === -1 || equals === pair.length - 1 ? plainName : `${plainName}=${REDACTED}`;
    })
    .join('&');
  return `${path}?${query}`;
}
