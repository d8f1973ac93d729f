import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { BACKEND, bearer, createPermanentToken, devToken } from './support/api';
import { signInAs } from './support/signIn';

/** The screenshot the root README shows; the suite keeps it up to date. */
const README_SCREENSHOT = 'docs/images/admin-tokens-inventory.png';
/** Unique per run, so a search finds this run's tokens only. */
const RUN = `inv${Date.now().toString(36)}`;

test('alice filters, sorts, pages, bulk-revokes and exports every token on Administrator → Tokens', async ({
  page,
  request,
}) => {
  test.slow();
  const adminToken = await devToken(request, 'alice');
  // 27 of bob's and 3 of carol's: more than one page of 25.
  for (let i = 0; i < 30; i++) {
    const owner = i < 27 ? 'bob' : 'carol';
    await createPermanentToken(
      request,
      adminToken,
      owner,
      `${RUN} ${owner} ${String(i).padStart(2, '0')}`,
    );
  }

  await signInAs(page, 'alice');
  await page.goto('/api-tokens/admin/tokens');
  await expect(page.getByRole('tab', { name: 'Tokens' })).toBeVisible();
  await expect(
    page.getByRole('button', { name: /^Active: \d+$/ }),
  ).toBeVisible();

  // Filter by name, sort by name A to Z.
  await page.getByLabel('Name contains').fill(RUN);
  await page.getByRole('button', { name: /^Sort by/ }).click();
  await page.getByRole('option', { name: 'Name' }).click();
  await page.getByRole('button', { name: /^Order/ }).click();
  await page.getByRole('option', { name: 'Ascending' }).click();
  const firstRow = page.getByRole('row').nth(1);
  await expect(firstRow).toContainText(`${RUN} bob 00`);
  await expect(page.getByText(`${RUN} bob 24`, { exact: true })).toBeVisible();
  await expect(page.getByText('Page 1')).toBeVisible();
  await page.screenshot({ path: README_SCREENSHOT, fullPage: true });

  // The next page, on the server.
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByText('Page 2')).toBeVisible();
  await expect(firstRow).toContainText(`${RUN} bob 25`);
  await expect(
    page.getByText(`${RUN} carol 29`, { exact: true }),
  ).toBeVisible();

  // Descending puts carol's first.
  await page.getByRole('button', { name: /^Order/ }).click();
  await page.getByRole('option', { name: 'Descending' }).click();
  await expect(firstRow).toContainText(`${RUN} carol 29`);

  // Owner filter, by the owner's ref.
  await page.getByLabel('Owner').fill('user:default/carol');
  await expect(page.getByRole('row')).toHaveCount(4);

  // Bulk revoke, with the keyboard: select the page, confirm.
  const selectPage = page.getByRole('checkbox', {
    name: 'Select every token on this page',
  });
  await selectPage.focus();
  await page.keyboard.press('Space');
  await expect(page.getByText('3 tokens selected')).toBeVisible();
  await page.getByRole('button', { name: 'Revoke selected' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('Revoke 3 tokens?')).toBeVisible();
  await expect(dialog).toContainText(`${RUN} carol 27`);
  await expect(dialog.getByRole('link', { name: /carol/i })).toBeVisible();
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('No token matches these filters.')).toBeVisible();

  const revoked = await request.get(
    `${BACKEND}/api/api-tokens/v1/tokens/all?state=revoked&q=${RUN}`,
    { headers: bearer(adminToken) },
  );
  expect(
    (await revoked.json()).items.map((t: { name: string }) => t.name).sort(),
  ).toEqual([`${RUN} carol 27`, `${RUN} carol 28`, `${RUN} carol 29`]);

  // CSV export of the filtered list: metadata only.
  await page.getByRole('checkbox', { name: 'Revoked' }).click();
  await expect(page.getByRole('row')).toHaveCount(4);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = await readFile((await download.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe(
    'id,name,kind,state,ownerRef,createdBy,createdAt,expiresAt,lastUsedAt,revokedAt,revokedBy',
  );
  expect(lines).toHaveLength(4);
  expect(csv).toContain(`${RUN} carol 28`);
  expect(csv).not.toMatch(/bsat_/);

  // A summary card filters the list.
  await page
    .getByRole('button', { name: /^Revoked in the last 30 days/ })
    .click();
  await expect(page.getByLabel('Name contains')).toHaveValue('');
  await expect(page.getByRole('checkbox', { name: 'Revoked' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
});

test('the API tokens tab of a user entity page lists their tokens', async ({
  page,
  browser,
  request,
}) => {
  test.slow();
  const adminToken = await devToken(request, 'alice');
  await createPermanentToken(request, adminToken, 'bob', `${RUN} entity tab`);

  await signInAs(page, 'alice');
  await page.goto('/catalog/default/user/bob/api-tokens');
  await expect(
    page.getByText(`${RUN} entity tab`, { exact: true }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    page.getByRole('button', { name: 'Add', exact: true }),
  ).toBeVisible();

  // Carol is neither an admin nor bob; she signs in in a browser of her own.
  const carols = await browser.newContext({ baseURL: 'http://localhost:3000' });
  const carolPage = await carols.newPage();
  await signInAs(carolPage, 'carol');
  await carolPage.goto('/catalog/default/user/bob/api-tokens');
  await expect(
    carolPage.getByText(
      'Only administrators and the user themself can see these API tokens.',
    ),
  ).toBeVisible({ timeout: 60_000 });
  await carols.close();
});
