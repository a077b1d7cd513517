// What agency routes' documentation shares (server/api-docs.ts): its security (apiRoute adds the 401,
// 429 and 503 of every agency route), and the refusals of a change (403 for a reader or a key, or a session request without its
// CSRF token).
import { AGENCY_AUTH, type ApiRouteSchema, apiRoute, errorReply } from '../api-docs.ts';

export const INVALID_BODY = errorReply('Le corps ne respecte pas le schéma (`details` nomme chaque champ en cause)', [
  'invalid_json',
  'invalid_body',
  'bad_request',
]);
export const INVALID_QUERY = errorReply('Un paramètre de la requête est faux ou inconnu (`details` le nomme)', ['invalid_query']);
export const FORBIDDEN = errorReply(
  'Réservé aux administrateurs de l’entité\u00a0: un lecteur ou une clé d’API (en lecture seule) ne peut rien modifier\u00a0; une requête par session sans son jeton CSRF (en-tête x-csrf-token) est refusée',
  ['forbidden', 'csrf_invalid'],
);
export const PROCEDURE_NOT_FOUND = errorReply('Aucune démarche de ce nom dans vos entités (celles des autres entités sont invisibles)', [
  'procedure_not_found',
  'not_found',
]);
export const ENTITY_NOT_FOUND = errorReply('Vous n’appartenez à aucune entité de ce nom', ['entity_not_found', 'not_found']);

/** An agency route's documentation: apiRoute() adds what every agency route shares (401, 429, 503, Cache-Control). */
export function agencyRoute(schema: Omit<ApiRouteSchema, 'security'>): ApiRouteSchema {
  return apiRoute({ ...schema, security: AGENCY_AUTH });
}
