import { APIRequestContext, expect } from '@playwright/test';

/** What a token may do (`ApiTokenScope` of api-tokens-common). */
export interface ApiTokenScope {
  plugins?: string[];
  permissions?: string[];
  readOnly?: boolean;
}

/** The backend under test; another one can be named while developing. */
export const BACKEND = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';

/**
 * A Backstage token for an example user, from the development sign-in. A
 * freshly started backend may not have read the users into its catalog yet.
 */
export async function devToken(
  request: APIRequestContext,
  user: string,
  baseUrl = BACKEND,
) {
  let token = '';
  await expect(async () => {
    const response = await request.get(`${baseUrl}/api/auth/dev/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest', 'x-dev-user': user },
    });
    expect(response.status()).toBe(200);
    token = (await response.json()).backstageIdentity.token;
  }).toPass({ timeout: 60_000, intervals: [500] });
  return token;
}

/** Has an admin create a permanent token for a user; returns the secret. */
export async function createPermanentToken(
  request: APIRequestContext,
  adminToken: string,
  user: string,
  name: string,
  baseUrl = BACKEND,
  scope?: ApiTokenScope,
) {
  const response = await request.post(
    `${baseUrl}/api/api-tokens/v1/users/${encodeURIComponent(
      `user:default/${user}`,
    )}/tokens`,
    {
      headers: { authorization: `Bearer ${adminToken}` },
      data: { name, scope },
    },
  );
  expect(response.status()).toBe(201);
  return (await response.json()) as {
    token: { id: string; expiresAt: string; scope: ApiTokenScope | null };
    secret: string;
  };
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
