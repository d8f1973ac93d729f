import { expect, test } from '@playwright/test';
import { bearer, BACKEND, createPermanentToken, devToken } from './support/api';

const deletePermission = {
  items: [
    {
      id: 'delete',
      permission: {
        type: 'basic',
        name: 'catalog.entity.delete',
        attributes: { action: 'delete' },
      },
    },
  ],
};

test('an API token acts as its owner on every portal API', async ({
  request,
}) => {
  const alice = await devToken(request, 'alice');
  const bob = await createPermanentToken(request, alice, 'bob', 'bob ci');
  const aliceCi = await createPermanentToken(request, alice, 'alice', 'ci');

  const entities = await request.get(
    `${BACKEND}/api/catalog/entities?limit=1`,
    {
      headers: bearer(bob.secret),
    },
  );
  expect(entities.status()).toBe(200);
  expect(entities.headers()['backstage-api-token-expiration']).toBe(
    bob.token.expiresAt,
  );

  // The permission policy sees bob, not a service.
  const bobDecision = await request.post(
    `${BACKEND}/api/permission/authorize`,
    { headers: bearer(bob.secret), data: deletePermission },
  );
  expect((await bobDecision.json()).items[0].result).toBe('DENY');
  const aliceDecision = await request.post(
    `${BACKEND}/api/permission/authorize`,
    { headers: bearer(aliceCi.secret), data: deletePermission },
  );
  expect((await aliceDecision.json()).items[0].result).toBe('ALLOW');

  const self = await request.get(`${BACKEND}/api/api-tokens/v1/self`, {
    headers: bearer(bob.secret),
  });
  expect(await self.json()).toMatchObject({
    id: bob.token.id,
    ownerRef: 'user:default/bob',
  });

  // The exchange form gives a normal Backstage token of the owner.
  const exchanged = await request.post(
    `${BACKEND}/api/auth/api-token/refresh`,
    { headers: bearer(bob.secret) },
  );
  const jwt = (await exchanged.json()).backstageIdentity.token;
  const withJwt = await request.get(`${BACKEND}/api/catalog/entities?limit=1`, {
    headers: bearer(jwt),
  });
  expect(withJwt.status()).toBe(200);

  // A leaked token cannot manage tokens, in either form.
  for (const credential of [bob.secret, jwt]) {
    const mint = await request.post(
      `${BACKEND}/api/api-tokens/v1/tokens/temporary`,
      { headers: bearer(credential), data: {} },
    );
    expect(mint.status()).toBe(403);
  }
});

test('a token with one changed character is rejected', async ({ request }) => {
  const alice = await devToken(request, 'alice');
  const { secret } = await createPermanentToken(request, alice, 'bob', 'typo');
  const position = 12;
  const changed =
    secret.slice(0, position) +
    (secret[position] === 'A' ? 'B' : 'A') +
    secret.slice(position + 1);

  const response = await request.get(`${BACKEND}/api/catalog/entities`, {
    headers: bearer(changed),
  });
  expect(response.status()).toBe(401);
});

test('a revoked token stops working within 5 seconds', async ({ request }) => {
  const alice = await devToken(request, 'alice');
  const bob = await createPermanentToken(request, alice, 'bob', 'revoke me');
  const url = `${BACKEND}/api/catalog/entities?limit=1`;
  expect(
    (await request.get(url, { headers: bearer(bob.secret) })).status(),
  ).toBe(200);

  const revoke = await request.delete(
    `${BACKEND}/api/api-tokens/v1/tokens/${bob.token.id}`,
    { headers: bearer(alice) },
  );
  expect(revoke.status()).toBe(204);
  const revokedAt = Date.now();

  let lastStatus = 200;
  while (Date.now() - revokedAt < 5_000 && lastStatus === 200) {
    lastStatus = (
      await request.get(url, { headers: bearer(bob.secret) })
    ).status();
  }
  expect(lastStatus).toBe(401);
  const response = await request.get(url, { headers: bearer(bob.secret) });
  expect(response.status()).toBe(401);
  expect((await response.json()).error.message).toContain('revoked');
});
