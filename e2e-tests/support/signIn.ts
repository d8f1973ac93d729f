import { expect, Page } from '@playwright/test';

/** Signs in through the development sign-in page. */
export async function signInAs(page: Page, user: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${user}` }).click();
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
}
