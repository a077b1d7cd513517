// Members' sign-in with OpenID Connect (SPEC §8), as ProConnect, the state's login for agents, does
// it: authorization code flow with PKCE (S256), `state` and `nonce`, every check made by
// openid-client (a certified relying-party library), none by hand.
//
// The provider's metadata is discovered at the first sign-in, not at start-up: the collector must
// start, and serve ratings, while the provider is down. A failed discovery is tried again next time.
import * as client from 'openid-client';
import { z } from 'zod';
import { isLoopbackUrl, type OidcConfig } from '../config.ts';

/** What the browser keeps between leaving for the provider and coming back (a short-lived cookie). */
export interface PendingLogin {
  codeVerifier: string;
  state: string;
  nonce: string;
  /** ms since epoch: a sign-in not finished within PENDING_LOGIN_MS is refused. */
  startedAt: number;
}

export const PENDING_LOGIN_MS = 10 * 60 * 1000;

export const PendingLoginSchema = z.object({
  codeVerifier: z.string().min(43).max(128),
  state: z.string().min(1).max(256),
  nonce: z.string().min(1).max(256),
  startedAt: z.number().int(),
});

/** The provider could not be reached or answered nonsense: the person may try again later (502/503). */
export class ProviderUnavailableError extends Error {
  constructor(
    readonly status: 502 | 503,
    options: { cause: unknown },
  ) {
    super('the OpenID Connect provider is unavailable', options);
  }
}

/** The provider's answer does not prove who is there (tampered state, replayed code, bad nonce, no e-mail): 400. */
export class LoginRefusedError extends Error {}

export interface OidcLogin {
  /** Where to send the browser, and the checks it must bring back. */
  begin(): Promise<{ url: URL; pending: PendingLogin }>;
  /**
   * The lower-cased e-mail address the provider vouches for, from the callback's address as the
   * browser requested it, and the ID token (kept to end the provider's session at logout).
   */
  finish(callbackUrl: URL, pending: PendingLogin): Promise<{ email: string; idToken: string }>;
  /** The provider's logout address, or undefined when it offers none (then only the local session ends). */
  endSessionUrl(idToken: string, postLogoutRedirectUri: string): Promise<URL | undefined>;
  /** The origins logout may send the browser to: the issuer's, and its end-session endpoint's once discovered. */
  logoutOrigins(): string[];
}

// ProConnect's scopes: `given_name` and `usual_name` are its own (French civil-service naming);
// a provider that publishes its scopes and lacks them gets the standard `openid email` alone.
const PROCONNECT_SCOPES = ['openid', 'email', 'given_name', 'usual_name'];
const REQUIRED_SCOPES = new Set(['openid', 'email']);
/** Seconds before a provider that does not answer counts as down. */
const PROVIDER_TIMEOUT_S = 10;

const Email = z.email().max(320);

export function oidcLogin(oidc: OidcConfig, { redirectUri, now }: { redirectUri: string; now: () => Date }): OidcLogin {
  const issuer = new URL(oidc.issuer);
  // Plain http to the provider only when it is on this machine (the tests' provider); config.ts
  // already refuses an http issuer anywhere else.
  const insecure = issuer.protocol === 'http:' && isLoopbackUrl(oidc.issuer);
  let discovered: Promise<client.Configuration> | undefined;
  let endSessionOrigin: string | undefined;

  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(issuer, oidc.clientId, { client_secret: oidc.clientSecret, redirect_uris: [redirectUri] }, undefined, {
        timeout: PROVIDER_TIMEOUT_S,
        execute: insecure ? [client.allowInsecureRequests] : [],
      })
      .then(
        (found) => {
          found.timeout = PROVIDER_TIMEOUT_S;
          const endSession = found.serverMetadata().end_session_endpoint;
          endSessionOrigin = endSession && new URL(endSession).origin;
          return found;
        },
        (error: unknown) => {
          discovered = undefined;
          throw outage(error) ?? new ProviderUnavailableError(502, { cause: error });
        },
      );
    return discovered;
  };

  return {
    async begin() {
      const config = await configuration();
      const supported = config.serverMetadata().scopes_supported;
      const scope = PROCONNECT_SCOPES.filter((name) => REQUIRED_SCOPES.has(name) || !supported || supported.includes(name)).join(' ');
      const pending: PendingLogin = {
        codeVerifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
        startedAt: now().getTime(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, pending };
    },

    async finish(callbackUrl, pending) {
      if (now().getTime() - pending.startedAt > PENDING_LOGIN_MS) throw new LoginRefusedError('the sign-in took more than 10 minutes');
      const config = await configuration();
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims()!;
        // ProConnect gives the address in the user info (a signed JWT, which openid-client checks);
        // other providers may put it in the ID token already.
        const source = typeof claims.email === 'string' ? claims : await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        // An address the provider says it has not verified proves nothing (a provider where anyone
        // types any address); ProConnect's are verified and it sends no `email_verified`.
        if (source.email_verified === false) throw new LoginRefusedError('the provider has not verified this e-mail address');
        const email = Email.safeParse(source.email);
        if (!email.success) throw new LoginRefusedError('the provider gave no e-mail address');
        return { email: email.data.toLowerCase(), idToken: tokens.id_token! };
      } catch (error) {
        if (error instanceof LoginRefusedError) throw error;
        throw outage(error) ?? new LoginRefusedError('the provider’s answer failed its checks', { cause: error });
      }
    },

    async endSessionUrl(idToken, postLogoutRedirectUri) {
      const config = await configuration();
      if (!config.serverMetadata().end_session_endpoint) return undefined;
      // ProConnect requires a `state` here too, though nothing comes back to check.
      return client.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: postLogoutRedirectUri,
        state: client.randomState(),
      });
    },

    logoutOrigins: () => [...new Set([issuer.origin, ...(endSessionOrigin ? [endSessionOrigin] : [])])],
  };
}

/** The error as an outage of the provider (unreachable, too slow, a 5xx or a malformed answer), or undefined. */
function outage(error: unknown): ProviderUnavailableError | undefined {
  // undici's error for a refused connection, an unknown host, a TLS failure.
  if (error instanceof TypeError && error.message === 'fetch failed') return new ProviderUnavailableError(503, { cause: error });
  if (error instanceof client.ResponseBodyError)
    return error.status >= 500 ? new ProviderUnavailableError(502, { cause: error }) : undefined;
  if (error instanceof client.ClientError) {
    if (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT') return new ProviderUnavailableError(503, { cause: error });
    if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
      return new ProviderUnavailableError(502, { cause: error });
    }
  }
  return undefined;
}
