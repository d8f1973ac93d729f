import { expect, test } from '@playwright/test';
import { signInAs } from './support/signIn';

test('bob signs in through the sign-in page and sees the catalog users', async ({
  page,
}) => {
  await signInAs(page, 'bob');

  // The catalog ingests examples/org.yaml shortly after a fresh start.
  await expect(async () => {
    await page.goto('/?filters[kind]=user');
    const table = page.getByRole('table');
    for (const user of ['alice', 'bob', 'carol']) {
      await expect(table.getByRole('link', { name: user })).toBeVisible({
        timeout: 2_000,
      });
    }
  }).toPass({ timeout: 60_000 });
  await page.screenshot({
    path: 'test-results/e2e/screenshots/catalog-users.png',
    fullPage: true,
  });
});
