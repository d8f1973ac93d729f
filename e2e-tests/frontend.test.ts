import { expect, Page, test } from '@playwright/test';
import { BACKEND, bearer, devToken } from './support/api';
import { signInAs } from './support/signIn';

const SCREENSHOTS = 'test-results/e2e/screenshots';

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('bob copies his temporary token and it reads the catalog', async ({
  page,
  request,
}) => {
  await signInAs(page, 'bob');
  await page.goto('/settings/api-tokens');
  await expect(page.getByText('Temporary API Token')).toBeVisible();
  await expect(page.getByText(/expires in \d+ hours?/).first()).toBeVisible();

  await page.getByRole('button', { name: 'Copy temporary API token' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^bsat_[0-9A-Za-z]{38}$/);

  const response = await request.get(`${BACKEND}/api/catalog/entities`, {
    headers: bearer(copied),
  });
  expect(response.status()).toBe(200);
  expect(response.headers()['backstage-api-token-expiration']).toBeTruthy();

  // The temporary token is listed among bob's own tokens.
  await page.reload();
  await expect(
    page.getByRole('cell', { name: 'temporary' }).first(),
  ).toBeVisible();
  await screenshot(page, 'settings-api-tokens');
});

test('bob keeps one temporary token across reloads, and signing out revokes it', async ({
  page,
  request,
}) => {
  // Four full loads of the development bundle, of up to 40 s each here.
  test.slow();
  await signInAs(page, 'bob');
  await page.goto('/settings/api-tokens');
  const shown = page.getByTestId('temporary-api-token');
  await expect(shown).toHaveText(/^bsat_/);
  const masked = await shown.textContent();
  await page.getByRole('button', { name: 'Copy temporary API token' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());

  await page.reload();
  await expect(shown).toHaveText(masked!);
  await page.getByRole('button', { name: 'Copy temporary API token' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    copied,
  );

  await page.goto('/settings/general');
  await page.getByRole('button', { name: 'more' }).click();
  await page.getByRole('menuitem', { name: 'Sign Out' }).click();
  // Sign-out loads the app afresh.
  await expect(
    page.getByRole('button', { name: 'Sign in as bob' }),
  ).toBeVisible({ timeout: 90_000 });
  const leftInStorage = await page.evaluate(() =>
    [
      ...Object.values(window.localStorage),
      ...Object.values(window.sessionStorage),
    ].filter(value => value.includes('bsat_')),
  );
  expect(leftInStorage).toEqual([]);
  const self = await request.get(`${BACKEND}/api/api-tokens/v1/self`, {
    headers: bearer(copied),
  });
  expect(self.status()).toBe(401);
});

test('alice creates a token for bob through Users → bob → Tokens', async ({
  page,
  request,
}) => {
  await signInAs(page, 'alice');
  await page.getByRole('link', { name: 'Administrator' }).click();
  await expect(page).toHaveURL(/\/api-tokens\/admin\/users/);
  await expect(page.getByRole('link', { name: /bob/i }).first()).toBeVisible();
  await screenshot(page, 'admin-users');

  await page.getByRole('link', { name: /bob/i }).first().click();
  await expect(page).toHaveURL(/\/api-tokens\/admin\/users\/bob/);
  await page
    .getByRole('tab', { name: 'Tokens' })
    .click()
    .catch(() => {});
  await page.getByRole('button', { name: 'Add' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('Create a new token')).toBeVisible();
  await dialog.getByLabel('Token Name').fill('deploy pipeline');
  await screenshot(page, 'admin-create-token');
  await dialog.getByRole('button', { name: 'Create' }).click();

  const created = page.getByRole('dialog');
  await expect(created.getByText(/cannot retrieve it later/i)).toBeVisible();
  await created.getByRole('button', { name: 'Copy' }).click();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  expect(secret).toMatch(/^bsat_[0-9A-Za-z]{38}$/);
  await screenshot(page, 'admin-token-created');
  await created.getByRole('button', { name: /close|done/i }).click();

  await expect(
    page.getByRole('cell', { name: 'deploy pipeline' }),
  ).toBeVisible();
  await screenshot(page, 'admin-user-tokens');

  const self = await request.get(`${BACKEND}/api/api-tokens/v1/self`, {
    headers: bearer(secret),
  });
  expect(await self.json()).toMatchObject({
    name: 'deploy pipeline',
    ownerRef: 'user:default/bob',
    kind: 'permanent',
  });
});

test('alice adds both settings and sees a validation error for a bad value', async ({
  page,
  request,
}) => {
  await signInAs(page, 'alice');
  await page.goto('/api-tokens/admin/settings');
  await page
    .getByRole('tab', { name: 'Config' })
    .click()
    .catch(() => {});

  const addSetting = async (key: string, value: string) => {
    await page.getByRole('button', { name: 'Add' }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByLabel('Config Type')
      .selectOption({ label: 'App Config' });
    await dialog.getByLabel('Key').selectOption({ label: key });
    await dialog.getByLabel('Value').fill(value);
    await dialog.getByRole('button', { name: 'Submit' }).click();
    return dialog;
  };

  const bad = await addSetting('Enable User Token Notification', 'soon');
  await expect(
    bad.getByText(/EnableUserTokenNotification must be whole days/),
  ).toBeVisible();
  await screenshot(page, 'admin-settings-validation');
  await bad.getByLabel('Value').fill('15');
  await bad.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();

  await addSetting(
    'User Token Expiration Notification Emails',
    'ops@example.com;security@example.com',
  );
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(
    page.getByRole('cell', { name: '15', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('cell', { name: 'ops@example.com;security@example.com' }),
  ).toBeVisible();
  await screenshot(page, 'admin-settings');

  // A token inside the 15 days just set shows up as a fault.
  const alice = await devToken(request, 'alice');
  const expiresAt = new Date(Date.now() + 10 * 24 * 3600_000).toISOString();
  const created = await request.post(
    `${BACKEND}/api/api-tokens/v1/users/carol/tokens`,
    { headers: bearer(alice), data: { name: 'nightly export', expiresAt } },
  );
  expect(created.status()).toBe(201);
  await page.goto('/api-tokens/admin/faults');
  await page.getByRole('button', { name: 'Run expiry check now' }).click();
  await expect(
    page.getByRole('cell', { name: 'nightly export' }).first(),
  ).toBeVisible();
  await screenshot(page, 'admin-faults');
});

test('bob cannot reach the admin pages', async ({ page }) => {
  await signInAs(page, 'bob');
  await expect(page.getByRole('link', { name: 'Administrator' })).toHaveCount(
    0,
  );
  for (const path of ['users', 'users/alice', 'settings', 'faults']) {
    await page.goto(`/api-tokens/admin/${path}`);
    await expect(
      page.getByText('You are not allowed to manage API tokens').first(),
    ).toBeVisible();
  }
  await expect(page.getByRole('button', { name: 'Add' })).toHaveCount(0);
  await screenshot(page, 'admin-not-allowed');
});
