// Every code the one error shape (SPEC §6, http-errors.ts) can carry, once: the status it is
// answered with, and what it means for a person, in French and English. HttpError, errorBody and
// the OpenAPI error lists (api-docs.ts errorReply) only take a code of this list, so a new code is
// added here first; test/server/error-codes.test.ts checks every code the sources answer with, and
// every status the OpenAPI document lists it under, against this list. Wire codes never change:
// the widget and agencies' clients read them.

interface ErrorCodeEntry {
  /** The status it is answered with. `bad_request` alone also stands for Fastify's other 4xx. */
  status: number;
  fr: string;
  en: string;
}

export const ERROR_CODES = {
  // The request itself: read before any route's rule.
  bad_request: { status: 400, fr: 'requête incomprise', en: 'request not understood' },
  invalid_json: { status: 400, fr: 'corps qui n’est pas du JSON valide', en: 'body that is not valid JSON' },
  invalid_body: { status: 400, fr: 'requête invalide', en: 'invalid request' },
  invalid_query: { status: 400, fr: 'paramètre de requête faux ou inconnu', en: 'wrong or unknown query parameter' },
  invalid_url: { status: 400, fr: 'adresse mal encodée', en: 'malformed address' },
  request_timeout: { status: 408, fr: 'requête trop lente à arriver', en: 'request too slow to arrive' },
  body_too_large: { status: 413, fr: 'requête trop grande', en: 'request too large' },
  url_too_long: { status: 414, fr: 'adresse trop longue', en: 'address too long' },
  unsupported_media_type: { status: 415, fr: 'format de requête refusé', en: 'request format refused' },
  headers_too_large: { status: 431, fr: 'en-têtes trop grands', en: 'headers too large' },
  not_found: { status: 404, fr: 'page ou ressource introuvable', en: 'page or resource not found' },
  // The feed's quarterly editions (SPEC §6).
  invalid_quarter: {
    status: 400,
    fr: 'trimestre mal écrit (attendu sous la forme 2026-Q3)',
    en: 'malformed quarter (expected like 2026-Q3)',
  },
  edition_not_found: { status: 404, fr: 'aucune édition publiée pour ce trimestre', en: 'no edition published for this quarter' },
  // A rating and its follow-ups (SPEC §6).
  unknown_procedure: { status: 404, fr: 'démarche inconnue', en: 'unknown procedure' },
  unknown_placement: { status: 404, fr: 'emplacement inconnu', en: 'unknown placement' },
  procedure_archived: { status: 410, fr: 'démarche archivée', en: 'procedure archived' },
  origin_not_allowed: { status: 403, fr: 'origine non autorisée', en: 'origin not allowed' },
  unknown_review: { status: 404, fr: 'avis inconnu', en: 'unknown review' },
  unknown_form_version: {
    status: 404,
    fr: 'version du formulaire inconnue pour cette démarche',
    en: 'form version unknown for this procedure',
  },
  invalid_token: { status: 403, fr: 'jeton invalide', en: 'invalid token' },
  follow_up_expired: {
    status: 410,
    fr: 'réponses facultatives envoyées après le délai d’une heure',
    en: 'follow-up sent after its one hour',
  },
  // Limits.
  rate_limited: { status: 429, fr: 'trop de demandes en une minute', en: 'too many requests in a minute' },
  too_many_ratings: { status: 429, fr: 'trop de notes du même client dans la journée', en: 'too many ratings from one client in a day' },
  export_busy: { status: 429, fr: 'trop d’exports en cours pour cette entité', en: 'too many exports under way for this entity' },
  // The agency API and space (SPEC §8), and /metrics.
  unauthenticated: { status: 401, fr: 'ni clé d’API valide ni session ouverte', en: 'no valid API key and no open session' },
  unauthorized: { status: 401, fr: 'jeton de métriques absent ou faux', en: 'metrics token missing or wrong' },
  forbidden: { status: 403, fr: 'action non permise à ce compte', en: 'action not allowed to this account' },
  signup_domain_not_allowed: {
    status: 403,
    fr: 'adresse hors des domaines autorisés à demander un accès',
    en: 'address outside the domains allowed to ask for access',
  },
  csrf_invalid: { status: 403, fr: 'formulaire expiré (jeton CSRF absent ou faux)', en: 'expired form (CSRF token missing or wrong)' },
  procedure_not_found: { status: 404, fr: 'démarche introuvable', en: 'procedure not found' },
  entity_not_found: { status: 404, fr: 'entité introuvable', en: 'entity not found' },
  member_not_found: { status: 404, fr: 'membre introuvable', en: 'member not found' },
  key_not_found: { status: 404, fr: 'clé d’API introuvable', en: 'API key not found' },
  review_not_found: { status: 404, fr: 'avis introuvable', en: 'review not found' },
  access_request_not_found: {
    status: 404,
    fr: 'demande d’accès introuvable ou déjà traitée',
    en: 'access request not found or already answered',
  },
  suspect_not_found: { status: 404, fr: 'passage à vérifier introuvable', en: 'passage to check not found' },
  tag_not_found: { status: 404, fr: 'étiquette introuvable', en: 'tag not found' },
  tag_exists: { status: 409, fr: 'étiquette déjà présente sous ce nom', en: 'a tag of this name already exists' },
  not_duplicate: { status: 409, fr: 'avis qui n’est pas signalé comme doublon', en: 'review not flagged as a duplicate' },
  procedure_exists: { status: 409, fr: 'démarche déjà enregistrée', en: 'procedure already registered' },
  product_id_taken: { status: 409, fr: 'numéro JDMA déjà celui d’une autre démarche', en: 'JDMA product id already another procedure’s' },
  procedure_limit_reached: {
    status: 409,
    fr: 'nombre maximal de démarches atteint pour l’entité',
    en: 'the entity has as many procedures as it may',
  },
  member_exists: { status: 409, fr: 'membre déjà présent', en: 'member already there' },
  key_exists: { status: 409, fr: 'clé d’API déjà présente sous ce nom', en: 'an API key of this name already exists' },
  last_admin: { status: 409, fr: 'dernier administrateur de l’entité', en: 'last admin of the entity' },
  // A procedure's form (SPEC §3 "Customisation").
  satisfaction_locked: {
    status: 400,
    fr: 'la question de satisfaction et ses trois réponses ne peuvent pas être modifiées',
    en: 'the satisfaction question and its three answers cannot be changed',
  },
  indicator_step_required: {
    status: 409,
    fr: 'une démarche publiée dans l’observatoire garde les étapes qui servent à ses indicateurs',
    en: 'a procedure published in the observatory keeps the steps its indicators are computed from',
  },
  form_draft_missing: { status: 409, fr: 'aucun brouillon de formulaire à publier', en: 'no form draft to publish' },
  // An entity's logo on its hosted pages (SPEC §3).
  logo_missing: { status: 400, fr: 'aucun fichier de logo envoyé', en: 'no logo file sent' },
  logo_too_large: { status: 413, fr: 'logo trop lourd\u00a0: 100 ko au plus', en: 'logo too large: 100 kB at most' },
  logo_type_unsupported: { status: 415, fr: 'le logo doit être une image PNG ou JPEG', en: 'the logo must be a PNG or JPEG image' },
  // Mails to agents (README "Mail").
  unsubscribe_invalid: {
    status: 400,
    fr: 'lien de désabonnement incomplet ou falsifié',
    en: 'unsubscribe link incomplete or forged',
  },
  // The collector's side: nothing the caller did wrong.
  internal_error: { status: 500, fr: 'erreur du service', en: 'service error' },
  storage_unavailable: { status: 503, fr: 'base de données injoignable', en: 'database unreachable' },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;
