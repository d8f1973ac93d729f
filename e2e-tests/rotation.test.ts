import { expect, test } from '@playwright/test';
import { BACKEND, bearer, createPermanentToken, devToken } from './support/api';
import { signInAs } from './support/signIn';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const CATALOG = `${BACKEND}/api/catalog/entities?limit=1`;

test('alice rotates bob’s CI token through the UI; both work during the overlap', async ({
  page,
  request,
}) => {
  const name = `rotate me ${Date.now()}`;
  const alice = await devToken(request, 'alice');
  const old = await createPermanentToken(request, alice, 'bob', name);
  const used = await request.get(CATALOG, {
    headers: { ...bearer(old.secret), 'user-agent': 'e2e-pipeline/1.0' },
  });
  expect(used.status()).toBe(200);

  await signInAs(page, 'alice');
  await page.goto('/api-tokens/admin/users/bob');
  await page
    .getByRole('tab', { name: 'Tokens' })
    .click()
    .catch(() => {});
  // Both tokens have the name; the old row is the one ending in its hint.
  const oldRow = page
    .getByRole('row')
    .filter({ hasText: `ends in …${old.secret.slice(-4)}` });
  await oldRow.getByRole('button', { name: 'Rotate' }).click();

  const dialog = page.getByRole('dialog', { name: 'Rotate this token' });
  await dialog.getByRole('button', { name: /24 hours/ }).click();
  await page.getByRole('option', { name: '1 hour', exact: true }).click();
  await dialog.getByRole('button', { name: 'Rotate' }).click();

  const created = page.getByRole('dialog', { name: 'Token created' });
  await expect(created.getByText(/cannot retrieve it later/i)).toBeVisible();
  await created.getByRole('button', { name: 'Copy' }).click();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  expect(secret).toMatch(/^bsat_[0-9A-Za-z]{38}$/);
  expect(secret).not.toBe(old.secret);
  await created.getByRole('button', { name: 'Done' }).click();

  // The new token works; the old one too, and tells CI its new end.
  const withNew = await request.get(CATALOG, { headers: bearer(secret) });
  expect(withNew.status()).toBe(200);
  const overlapEnd = Date.now() + 60 * 60 * 1000;
  await expect(async () => {
    const withOld = await request.get(CATALOG, { headers: bearer(old.secret) });
    expect(withOld.status()).toBe(200);
    const end = Date.parse(withOld.headers()['backstage-api-token-expiration']);
    expect(Math.abs(end - overlapEnd)).toBeLessThan(60_000);
  }).toPass({ timeout: 10_000 });

  // The old row links to its successor; its details show who used it.
  const replacedBy = oldRow.getByRole('button', { name: /^replaced by …/ });
  await expect(replacedBy).toHaveText(`replaced by …${secret.slice(-4)}`);
  const newRow = page
    .getByRole('row')
    .filter({ hasText: `ends in …${secret.slice(-4)}` });
  await expect(
    newRow.getByRole('button', { name: `replaces …${old.secret.slice(-4)}` }),
  ).toBeVisible();
  await expect(oldRow.getByRole('button', { name: 'Rotate' })).toHaveCount(0);
  await oldRow.getByRole('button', { name: 'Details' }).click();
  const details = page.getByRole('dialog', { name: `Token ${name}` });
  await expect(
    details.getByRole('table', { name: 'Recent clients' }),
  ).toContainText('e2e-pipeline/1.0');
  await expect(details.getByText(/^Replaced by/)).toBeVisible();
});
