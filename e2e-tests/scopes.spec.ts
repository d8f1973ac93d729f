import { expect, Locator, test } from '@playwright/test';
import { BACKEND, bearer } from './support/api';
import { signInAs } from './support/signIn';

const SCREENSHOTS = 'test-results/e2e/screenshots';

/** What the preview says a token would get for a permission: "can", … */
function decision(dialog: Locator, permission: string) {
  return dialog
    .getByRole('row')
    .filter({
      has: dialog.page().getByRole('cell', { name: permission, exact: true }),
    })
    .getByRole('cell')
    .nth(1);
}

test('alice creates a catalog read token for bob, previewed, and it only reads', async ({
  page,
  request,
}) => {
  await signInAs(page, 'alice');
  await page.goto('/api-tokens/admin/users/bob');
  await page
    .getByRole('tab', { name: 'Tokens' })
    .click()
    .catch(() => {});
  await page.getByRole('button', { name: 'Add' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a new token' });
  await dialog.getByLabel('Token Name').fill('catalog reader');

  // Without a scope the token could do what bob may: register locations.
  const preview = dialog.getByRole('table', {
    name: 'What the token will be able to do',
  });
  await expect(preview).toBeVisible();
  await expect(
    dialog.getByRole('radio', { name: 'Everything the user can do' }),
  ).toBeChecked();
  await expect(decision(dialog, 'catalog.location.create')).toHaveText('can');
  await expect(decision(dialog, 'catalog.entity.delete')).toHaveText('cannot');

  await dialog.getByRole('radio', { name: 'Catalog read' }).click();
  await expect(
    dialog.getByRole('checkbox', { name: 'Read only' }),
  ).toBeChecked();
  await expect(decision(dialog, 'catalog.location.create')).toHaveText(
    'cannot',
  );
  await expect(decision(dialog, 'catalog.entity.read')).toHaveText('can');
  await expect(decision(dialog, 'catalog.entity.delete')).toHaveText('cannot');
  await expect(dialog.getByRole('progressbar')).toHaveCount(0);

  await dialog.getByLabel('Filter permissions').fill('catalog.entity.read');
  await expect(preview.getByRole('row')).toHaveCount(3);
  await preview.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${SCREENSHOTS}/admin-create-scoped-token.png`,
    fullPage: true,
  });
  await dialog.getByRole('button', { name: 'Create' }).click();

  const created = page.getByRole('dialog', { name: 'Token created' });
  await expect(
    created.getByText('Scope: catalog · read only', { exact: true }),
  ).toBeVisible();
  const secret = await created
    .getByRole('textbox', { name: 'Token' })
    .inputValue();
  expect(secret).toMatch(/^bsat_[0-9A-Za-z]{38}$/);
  await created.getByRole('button', { name: 'Done' }).click();
  // Read, not copied: the dialog asks first.
  await created.getByRole('button', { name: 'Close anyway' }).click();
  await expect(
    page
      .getByRole('row')
      .filter({ hasText: 'catalog reader' })
      .getByRole('cell', { name: 'catalog · read only', exact: true }),
  ).toBeVisible();

  const entities = await request.get(
    `${BACKEND}/api/catalog/entities?limit=1`,
    { headers: bearer(secret) },
  );
  expect(entities.status()).toBe(200);

  const location = await request.post(`${BACKEND}/api/catalog/locations`, {
    headers: bearer(secret),
    data: { type: 'url', target: 'https://example.com/catalog-info.yaml' },
  });
  expect(location.status()).toBe(403);
});
