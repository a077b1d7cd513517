import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './test-server.ts';

// A real OpenID provider (oidc-provider, OpenID certified) on 127.0.0.1, set up as ProConnect is for
// its relying parties: one confidential client (client_secret_post), PKCE required, the address in
// the `email` claim given through a signed (RS256) user info response, the `given_name` and
// `usual_name` scopes, and RP-initiated logout. Sign-in goes through the provider's own development
// forms: any login, any password; the login typed is the account, and its address.
// Consent is granted at once, as ProConnect asks none.

export const OIDC_CLIENT_ID = 'jdma-collector';
export const OIDC_CLIENT_SECRET = 'a-test-client-secret-of-enough-length';

export interface TestOidcProvider {
  issuer: string;
  /** Stops listening: the provider is then down. */
  close(): Promise<void>;
}

export async function startOidcProvider({
  collectorUrl,
  endSession = true,
  standard = false,
}: {
  collectorUrl: string;
  /** false: the provider offers no `end_session_endpoint`, and logout is the collector's alone. */
  endSession?: boolean;
  /**
   * true: a provider of standard scopes only (`openid email profile`), which puts the address and
   * `email_verified` in the ID token and answers user info in plain JSON. A login `unverified:<address>`
   * is an account whose address the provider has not verified.
   */
  standard?: boolean;
}): Promise<TestOidcProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: [`${collectorUrl}/espace/connexion/retour`],
        post_logout_redirect_uris: [`${collectorUrl}/espace/connexion`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
        ...(standard ? {} : { userinfo_signed_response_alg: 'RS256' }),
      },
    ],
    pkce: { required: () => true },
    ...(standard
      ? {
          scopes: ['openid', 'email', 'profile'],
          claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
          conformIdTokenClaims: false,
        }
      : {
          scopes: ['openid', 'email', 'given_name', 'usual_name'],
          claims: { openid: ['sub'], email: ['email'], given_name: ['given_name'], usual_name: ['usual_name'] },
        }),
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: endSession },
      jwtUserinfo: { enabled: !standard },
    },
    cookies: { keys: ['a-test-cookie-signing-key'] },
    jwks: {
      keys: [
        {
          ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
          kid: 'test',
          use: 'sig',
          alg: 'RS256',
        },
      ],
    },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () =>
        standard
          ? {
              sub: id,
              email: id.replace(/^unverified:/, ''),
              email_verified: !id.startsWith('unverified:'),
              given_name: 'Camille',
              family_name: 'Martin',
            }
          : { sub: id, email: id, given_name: 'Camille', usual_name: 'Martin' },
    }),
    loadExistingGrant: async (ctx: ProviderContext) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(standard ? 'openid email profile' : 'openid email given_name usual_name');
      await grant.save();
      return grant;
    },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface ProviderGrant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}

/** The part of oidc-provider's request context the consent shortcut reads. */
interface ProviderContext {
  oidc: {
    result?: { consent?: { grantId?: string } };
    session: { accountId: string; grantIdFor(clientId: string): string | undefined };
    client: { clientId: string };
    provider: {
      Grant: { new (init: { clientId: string; accountId: string }): ProviderGrant; find(id: string): Promise<ProviderGrant | undefined> };
    };
  };
}

/**
 * Signs in at the provider over plain HTTP, as a browser would (its cookies kept, its login form
 * posted), from the authorization URL the collector redirected to; returns the address the provider
 * sends the browser back to (the collector's callback, with `code` and `state`), without following it.
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const origin = new URL(authorizationUrl).origin;
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 10; step++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      body,
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    body = undefined;
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      if (url.origin !== origin) return url;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]* action="([^"]+)"[^>]*method="post"/.exec(page)?.[1];
    if (response.status !== 200 || !action) throw new Error(`the provider answered ${response.status}: ${page.slice(0, 300)}`);
    url = new URL(action, url);
    body = new URLSearchParams({ prompt: 'login', login, password: 'any' });
  }
  throw new Error('the provider never sent the browser back');
}
