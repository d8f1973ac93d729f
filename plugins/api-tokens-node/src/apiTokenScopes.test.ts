import {
  AuthenticationError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  API_TOKEN_SCOPE_HEADER,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  encodeJwt,
  startProbeBackend,
  TOKEN_EXPIRES_AT,
  TOKEN_ID,
} from './__testUtils__/startProbeBackend';
import { runWithApiTokenScopeState } from './apiTokenRequestContext';
import { createApiTokenScopedPolicy } from './createApiTokenScopedPolicy';
import { userIdentityProofDigest } from './userTokenClaims';

const active = (scope: object | null) => ({
  active: true,
  expiresAt: TOKEN_EXPIRES_AT,
  scope,
});

/** A limited user token of bob, signed with `uip`, as plugins forward it. */
function limitedToken(uip: string) {
  return encodeJwt(
    { typ: 'vnd.backstage.limited-user', alg: 'ES256', kid: 'key-1' },
    { sub: 'user:default/bob', iat: 1, exp: 4_102_444_800 },
    uip,
  );
}

describe('scoped API tokens', () => {
  it('reach only the plugins of their scope, and say their scope', async () => {
    const { server, stateRoute } = await startProbeBackend({
      apiTokensRootHttpRouter: true,
    });
    stateRoute.answers.set(TOKEN_ID, active({ plugins: ['probe-a'] }));
    const token = generateApiToken();

    const allowed = await request(server)
      .get('/api/probe-a/whoami')
      .set('authorization', `Bearer ${token}`);
    expect(allowed.status).toBe(200);
    expect(allowed.headers[API_TOKEN_SCOPE_HEADER.toLowerCase()]).toBe(
      'plugins: probe-a',
    );

    const refused = await request(server)
      .get('/api/probe-b/whoami')
      .set('authorization', `Bearer ${token}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      "This API token may not call the 'probe-b' plugin; its scope allows plugins: probe-a",
    );
  });

  it('read-only: only GET and HEAD on plugins that publish no permissions', async () => {
    const { server, stateRoute } = await startProbeBackend({
      apiTokensRootHttpRouter: true,
    });
    stateRoute.answers.set(TOKEN_ID, active({ readOnly: true }));
    const token = generateApiToken();

    const read = await request(server)
      .get('/api/probe-a/whoami')
      .set('authorization', `Bearer ${token}`);
    expect(read.status).toBe(200);
    const write = await request(server)
      .post('/api/probe-a/echo')
      .set('authorization', `Bearer ${token}`)
      .send({ hello: 'world' });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(
      /^This API token is read-only: the 'probe-a' plugin checks no permissions/,
    );

    const unscopedBackend = await startProbeBackend({
      apiTokensRootHttpRouter: true,
    });
    const unscoped = await request(unscopedBackend.server)
      .post('/api/probe-a/echo')
      .set('authorization', `Bearer ${generateApiToken()}`)
      .send({ hello: 'world' });
    expect(unscoped.status).toBe(200);
    expect(unscoped.headers[API_TOKEN_SCOPE_HEADER.toLowerCase()]).toBe(
      undefined,
    );
  });

  it('are refused, not let through unscoped, without the root HTTP router middleware', async () => {
    const { handler, stateRoute } = await startProbeBackend();
    stateRoute.answers.set(TOKEN_ID, active({ plugins: ['probe-a'] }));
    await expect(handler.verifyToken(generateApiToken())).rejects.toThrow(
      ServiceUnavailableError,
    );

    const unscoped = await startProbeBackend();
    await expect(
      unscoped.handler.verifyToken(generateApiToken()),
    ).resolves.toBeDefined();
  });
});

describe('limited tokens forwarded on behalf of a user', () => {
  it('are refused once the API token they came from is revoked', async () => {
    const { handler, defaultHandler, stateRoute } = await startProbeBackend();
    const uip = 'dWlwLW9mLWFuLWV4Y2hhbmdl';
    stateRoute.derived.set(userIdentityProofDigest(uip), TOKEN_ID);
    const forwarded = {
      subject: 'plugin:catalog',
      limitedUserToken: limitedToken(uip),
    };
    defaultHandler.verifyToken.mockResolvedValue(forwarded);

    await expect(handler.verifyToken('plugin-token')).resolves.toEqual(
      forwarded,
    );
    stateRoute.answers.set(TOKEN_ID, {
      active: false,
      expiresAt: TOKEN_EXPIRES_AT,
    });
    await new Promise(resolve => setTimeout(resolve, 4_100));
    await expect(handler.verifyToken('plugin-token')).rejects.toThrow(
      new AuthenticationError('API token has been revoked'),
    );
    // Where a limited token came from is asked once.
    expect(stateRoute.derivedCalls).toHaveLength(1);
  });

  it('of tokens that did not come from an API token are handed on, asked about once', async () => {
    const { handler, defaultHandler, stateRoute } = await startProbeBackend();
    const forwarded = {
      subject: 'plugin:catalog',
      limitedUserToken: limitedToken('YnJvd3Nlci1zZXNzaW9u'),
    };
    defaultHandler.verifyToken.mockResolvedValue(forwarded);

    for (let i = 0; i < 3; i++) {
      await expect(handler.verifyToken('plugin-token')).resolves.toEqual(
        forwarded,
      );
    }
    expect(stateRoute.derivedCalls).toHaveLength(1);
    expect(stateRoute.calls).toEqual([]);
  });
});

describe('createApiTokenScopedPolicy', () => {
  const allowAll = {
    handle: jest.fn(
      async (): Promise<PolicyDecision> => ({ result: AuthorizeResult.ALLOW }),
    ),
  };
  const policy = createApiTokenScopedPolicy(allowAll);
  const user = {} as Parameters<typeof policy.handle>[1];
  const permission = (name: string, action: 'read' | 'delete') => ({
    permission: { type: 'basic' as const, name, attributes: { action } },
  });

  const decide = (
    scope: object | null | undefined,
    query: ReturnType<typeof permission>,
    who: typeof user | undefined,
  ) =>
    new Promise(resolve => {
      const state = { method: 'POST', token: 't', scope };
      runWithApiTokenScopeState(state, () => {
        policy.handle(query, who).then(resolve);
      });
    });

  it('denies what the scope excludes and leaves the rest to the policy', async () => {
    const scope = {
      permissions: ['catalog.entity.read', 'catalog.entity.delete'],
      readOnly: true,
    };
    await expect(
      decide(scope, permission('catalog.entity.read', 'read'), user),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      decide(scope, permission('catalog.entity.delete', 'delete'), user),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      decide(scope, permission('scaffolder.task.read', 'read'), user),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('leaves requests without a scoped token, and service calls, to the policy', async () => {
    const remove = permission('catalog.entity.delete', 'delete');
    await expect(decide(undefined, remove, user)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(decide(null, remove, user)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(
      decide({ readOnly: true }, remove, undefined),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(policy.handle(remove, user)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
