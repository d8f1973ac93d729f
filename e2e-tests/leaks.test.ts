import { expect, test } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { BACKEND, bearer, createPermanentToken, devToken } from './support/api';
import { signInAs } from './support/signIn';

/** The secret playwright.config.ts gives the backend. */
const LEAK_REPORT_SECRET = 'e2e-leak-report-secret-0123456789';
const LEAK_URL = 'https://github.com/octo/e2e/blob/main/.github/ci.yml';

test('a signed leak report revokes the token, the Faults page shows where it leaked, and the lookup page says so', async ({
  page,
  request,
}) => {
  test.slow();
  const alice = await devToken(request, 'alice');
  const { secret } = await createPermanentToken(
    request,
    alice,
    'bob',
    'leaked in e2e',
  );
  const used = await request.get(
    `${BACKEND}/api/catalog/entities/by-name/user/default/bob`,
    { headers: bearer(secret) },
  );
  expect(used.status()).toBe(200);

  const body = JSON.stringify([
    {
      token: secret,
      type: 'backstage_api_token',
      url: LEAK_URL,
      source: 'content',
    },
  ]);
  const signature = createHmac('sha256', LEAK_REPORT_SECRET)
    .update(body)
    .digest('hex');
  const report = await request.post(`${BACKEND}/api/api-tokens/v1/leaks`, {
    headers: {
      'Content-Type': 'application/json',
      'X-Leak-Report-Signature': `sha256=${signature}`,
    },
    data: body,
  });
  expect(report.status()).toBe(200);
  const [verdict] = await report.json();
  expect(verdict.label).toBe('true_positive');
  expect(JSON.stringify(verdict)).not.toContain(secret);

  await expect(async () => {
    const refused = await request.get(
      `${BACKEND}/api/catalog/entities/by-name/user/default/bob`,
      { headers: bearer(secret) },
    );
    expect(refused.status()).toBe(401);
  }).toPass({ timeout: 5_000, intervals: [250] });

  await signInAs(page, 'alice');
  await page.goto('/api-tokens/admin/faults');
  await expect(
    page.getByRole('cell', {
      name: `leaked in e2e: token leaked at ${LEAK_URL}`,
    }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/e2e/screenshots/admin-faults-leaked.png',
    fullPage: true,
  });

  await page.goto('/api-tokens/admin/lookup');
  const field = page.getByLabel('Token value');
  await expect(field).toHaveAttribute('type', 'password');
  await field.fill(secret);
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page.getByText('Revoked: leaked')).toBeVisible();
  await expect(page.getByText('user:default/bob')).toBeVisible();
  await expect(page.getByText(LEAK_URL)).toBeVisible();
  await expect(field).toHaveValue('');
  expect(await page.content()).not.toContain(secret);
  await page.screenshot({
    path: 'test-results/e2e/screenshots/admin-lookup.png',
    fullPage: true,
  });
});
