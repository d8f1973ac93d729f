import { APIRequestContext, expect } from '@playwright/test';

export const BACKEND = 'http://localhost:7007';

/** A Backstage token for an example user, from the development sign-in. */
export async function devToken(request: APIRequestContext, user: string) {
  const response = await request.get(`${BACKEND}/api/auth/dev/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest', 'x-dev-user': user },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).backstageIdentity.token as string;
}

/** Has an admin create a permanent token for a user; returns the secret. */
export async function createPermanentToken(
  request: APIRequestContext,
  adminToken: string,
  user: string,
  name: string,
) {
  const response = await request.post(
    `${BACKEND}/api/api-tokens/v1/users/${encodeURIComponent(
      `user:default/${user}`,
    )}/tokens`,
    { headers: { authorization: `Bearer ${adminToken}` }, data: { name } },
  );
  expect(response.status()).toBe(201);
  return (await response.json()) as {
    token: { id: string; expiresAt: string };
    secret: string;
  };
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
