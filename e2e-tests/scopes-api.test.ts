import { APIRequestContext, expect, test } from '@playwright/test';
import {
  ApiTokenScope,
  bearer,
  BACKEND,
  createPermanentToken,
  devToken,
} from './support/api';

// Scoped tokens against the real portal backend: its catalog, permission
// backend with the portal's policy (wrapped by the scoped policy),
// notifications and user settings.

const SCOPE_HEADER = 'backstage-api-token-scope';

interface PreviewedPermission {
  name: string;
  type: 'basic' | 'resource';
  resourceType?: string;
  action?: string;
  result: string;
}

function permissionOf(name: string, action: string) {
  return { type: 'basic', name, attributes: { action } };
}

async function authorize(
  request: APIRequestContext,
  token: string,
  permissions: Array<ReturnType<typeof permissionOf> | object>,
): Promise<string[]> {
  const response = await request.post(`${BACKEND}/api/permission/authorize`, {
    headers: bearer(token),
    data: {
      items: permissions.map((permission, i) => ({
        id: String(i),
        permission,
      })),
    },
  });
  expect(response.status()).toBe(200);
  const { items } = await response.json();
  return items.map((item: { result: string }) => item.result);
}

async function exchange(request: APIRequestContext, secret: string) {
  const response = await request.post(`${BACKEND}/api/auth/api-token/refresh`, {
    headers: bearer(secret),
  });
  expect(response.status()).toBe(200);
  return (await response.json()).backstageIdentity.token as string;
}

const newLocation = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

test('a token scoped to the catalog, read-only, reads entities and nothing else', async ({
  request,
}) => {
  const alice = await devToken(request, 'alice');
  const scope = { plugins: ['catalog'], readOnly: true };
  // Alice is an admin: anything refused here is refused by the scope.
  const { token, secret } = await createPermanentToken(
    request,
    alice,
    'alice',
    'catalog reader',
    BACKEND,
    scope,
  );
  expect(token.scope).toEqual(scope);

  for (const credential of [secret, await exchange(request, secret)]) {
    const entities = await request.get(
      `${BACKEND}/api/catalog/entities?limit=1`,
      { headers: bearer(credential) },
    );
    expect(entities.status()).toBe(200);

    // The catalog asks the permission backend on behalf of alice, with a
    // limited token that says nothing of the API token: denied anyway.
    const location = await request.post(`${BACKEND}/api/catalog/locations`, {
      headers: bearer(credential),
      data: newLocation,
    });
    expect(location.status()).toBe(403);
    expect(location.headers()[SCOPE_HEADER]).toBe(
      'plugins: catalog; read only',
    );

    for (const path of [
      '/api/notifications/status',
      '/api/user-settings/buckets/ci/keys/theme',
    ]) {
      const other = await request.get(`${BACKEND}${path}`, {
        headers: bearer(credential),
      });
      expect(other.status()).toBe(403);
      expect((await other.json()).error.message).toMatch(
        /may not call the '(notifications|user-settings)' plugin; its scope allows plugins: catalog; read only/,
      );
    }
  }

  // Without the scope, alice's location request passes the permission check
  // and fails later, on reading the URL.
  const unscoped = await request.post(
    `${BACKEND}/api/catalog/locations?dryRun=true`,
    { headers: bearer(alice), data: newLocation },
  );
  expect(unscoped.status()).toBe(400);
});

test('a token limited to catalog.entity.read is denied every other permission, whatever its owner may do', async ({
  request,
}) => {
  const alice = await devToken(request, 'alice');
  const scoped = await createPermanentToken(
    request,
    alice,
    'alice',
    'entity reader',
    BACKEND,
    { permissions: ['catalog.entity.read'] },
  );
  const full = await createPermanentToken(request, alice, 'alice', 'full');
  const asked = [
    permissionOf('catalog.entity.delete', 'delete'),
    permissionOf('api-tokens.token.create', 'create'),
  ];

  expect(await authorize(request, full.secret, asked)).toEqual([
    'ALLOW',
    'ALLOW',
  ]);
  expect(await authorize(request, scoped.secret, asked)).toEqual([
    'DENY',
    'DENY',
  ]);
  const exchanged = await exchange(request, scoped.secret);
  expect(await authorize(request, exchanged, asked)).toEqual(['DENY', 'DENY']);
});

test('a temporary token takes a scope too', async ({ request }) => {
  const bob = await devToken(request, 'bob');
  const response = await request.post(
    `${BACKEND}/api/api-tokens/v1/tokens/temporary`,
    { headers: bearer(bob), data: { scope: { plugins: ['catalog'] } } },
  );
  expect(response.status()).toBe(201);
  const { secret, token } = await response.json();
  expect(token.scope).toEqual({ plugins: ['catalog'] });
  const notifications = await request.get(
    `${BACKEND}/api/notifications/status`,
    { headers: bearer(secret) },
  );
  expect(notifications.status()).toBe(403);
  const self = await request.get(`${BACKEND}/api/api-tokens/v1/self`, {
    headers: bearer(secret),
  });
  expect(self.status()).toBe(403);
});

test('the preview answers what the permission backend then answers for such a token', async ({
  request,
}) => {
  test.slow();
  const alice = await devToken(request, 'alice');
  const scopes: Array<ApiTokenScope | null> = [
    null,
    { readOnly: true },
    { plugins: ['catalog'], readOnly: true },
    { permissions: ['catalog.entity.read', 'api-tokens.token.read'] },
    {
      permissions: ['catalog.entity.delete', 'catalog.entity.read'],
      readOnly: true,
    },
  ];
  const results = new Set<string>();
  for (const owner of ['alice', 'bob', 'carol']) {
    for (const scope of scopes) {
      const preview = await request.post(
        `${BACKEND}/api/api-tokens/v1/users/${encodeURIComponent(
          `user:default/${owner}`,
        )}/tokens/preview`,
        { headers: bearer(alice), data: { scope } },
      );
      expect(preview.status()).toBe(200);
      const { permissions } = (await preview.json()) as {
        permissions: PreviewedPermission[];
      };
      expect(permissions.map(p => p.name)).toContain('catalog.entity.delete');

      const { secret } = await createPermanentToken(
        request,
        alice,
        owner,
        `preview check ${JSON.stringify(scope)}`,
        BACKEND,
        scope ?? undefined,
      );
      const actual = await authorize(
        request,
        secret,
        permissions.map(({ name, type, resourceType, action }) => ({
          type,
          name,
          ...(resourceType ? { resourceType } : {}),
          attributes: action ? { action } : {},
        })),
      );
      expect(actual).toEqual(permissions.map(p => p.result));
      actual.forEach(result => results.add(result));
    }
  }
  // The comparison covered both answers (the portal's policy gives no
  // conditional ones).
  expect([...results].sort()).toEqual(['ALLOW', 'DENY']);
});

test('a bad scope is refused with a message and nothing is stored', async ({
  request,
}) => {
  const alice = await devToken(request, 'alice');
  const tokensOfCarol = `${BACKEND}/api/api-tokens/v1/users/${encodeURIComponent(
    'user:default/carol',
  )}/tokens`;
  const countTokens = async () =>
    (
      await (
        await request.get(`${tokensOfCarol}?limit=100`, {
          headers: bearer(alice),
        })
      ).json()
    ).items.length;
  const before = await countTokens();

  const cases: Array<[unknown, RegExp]> = [
    [
      { plugins: ['catalog', 'search'] },
      /scope\.plugins: unknown plugin "search"/,
    ],
    [
      { permissions: ['catalog.entity.read', 'catalog.entity.fly'] },
      /scope\.permissions: unknown permission "catalog\.entity\.fly"/,
    ],
    [{ plugins: 'catalog' }, /scope\/plugins must be array/],
    [{ readOnly: 'yes' }, /scope\/readOnly must be boolean/],
    [{ admin: true }, /scope must NOT have additional properties/],
    [
      { permissions: Array.from({ length: 1000 }, (_, i) => `p${i}`) },
      /scope\/permissions must NOT have more than 200 items/,
    ],
  ];
  for (const [scope, message] of cases) {
    for (const url of [tokensOfCarol, `${tokensOfCarol}/preview`]) {
      const response = await request.post(url, {
        headers: bearer(alice),
        data: url.endsWith('/preview') ? { scope } : { name: 'bad', scope },
      });
      expect(response.status()).toBe(400);
      expect((await response.json()).error.message).toMatch(message);
    }
  }
  expect(await countTokens()).toBe(before);
});
