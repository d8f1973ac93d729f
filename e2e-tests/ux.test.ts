import { expect, Page, test } from '@playwright/test';
import { createPermanentToken, devToken } from './support/api';
import { signInAs } from './support/signIn';

const SCREENSHOTS = 'test-results/e2e/screenshots';

/**
 * The console messages that come from third-party code only; the README of
 * plugins/api-tokens lists them with the library that emits each. Anything
 * else a page logs as a warning or an error fails the test.
 */
const THIRD_PARTY_WARNINGS: RegExp[] = [
  // MUI v4 (Dialog, Menu, Popover, Tooltip transitions)
  /findDOMNode is deprecated/,
  // @material-table/core (MTableCell, MTableHeader, …) and the
  // react-beautiful-dnd it renders (Connect(Droppable))
  /Support for defaultProps will be removed from (function|memo) components/,
  // @material-table/core 3.2.5 checks its columns whenever its data changes,
  // so it warns once per table even when the columns are the same objects
  /The columns provided to material table are static/,
  // @backstage/plugin-app's icons API, for the app's built-in icons
  /The following icons were registered as IconComponent, which is deprecated/,
  // react-stately, in the tabs of @backstage/ui's PluginHeader: their
  // selected tab is unknown on the first render
  /WARN: A component changed from uncontrolled to controlled\. \[[^\]]*react-stately\//,
  // react-aria's Focusable, in the breadcrumb of @backstage/ui's PluginHeader
  /<Focusable> child must have an interactive ARIA role/,
  // @backstage/frontend-app-api, for @backstage/plugin-catalog's own pages
  /Extension 'page:catalog(\/entity)?' uses implicit React Router v6 routing/,
  // Chromium, when a page is left while @backstage/plugin-signals'
  // SignalClient is still opening its socket (on a slow machine the next
  // navigation can start first)
  /WebSocket connection to '[^']*\/api\/signals' failed: WebSocket is closed before the connection is established\. \[[^\]]*@backstage\/plugin-signals\//,
];

/**
 * What the page logs as a warning or an error, and its uncaught errors, each
 * with the "%s" of React's messages filled in and the file that logged it.
 */
class ConsoleLog {
  private entries: Promise<{ loggedOn: string; text: string }>[] = [];

  constructor(page: Page) {
    page.on('console', message => {
      if (message.type() !== 'warning' && message.type() !== 'error') {
        return;
      }
      const source = message.location().url;
      // The page it was logged on, as a message of the page before may
      // arrive after the next navigation has started.
      const loggedOn = new URL(page.url()).pathname;
      this.entries.push(
        Promise.all(
          message
            .args()
            .slice(1)
            .map(arg => arg.jsonValue().catch(() => '')),
        ).then(values => {
          let index = 0;
          const text = message
            .text()
            .replace(/%s/g, () => String(values[index++] ?? ''));
          return { loggedOn, text: `${message.type()}: ${text} [${source}]` };
        }),
      );
    });
    page.on('pageerror', error =>
      this.entries.push(
        Promise.resolve({
          loggedOn: new URL(page.url()).pathname,
          text: `pageerror: ${error.message}`,
        }),
      ),
    );
  }

  clear() {
    this.entries = [];
  }

  /**
   * The messages logged on `path` (every page when not given) that are not
   * on the documented third-party list.
   */
  async unexpected(path?: string): Promise<string[]> {
    const messages = await Promise.all(this.entries);
    return messages
      .filter(message => path === undefined || message.loggedOn === path)
      .map(message => message.text)
      .filter(
        text => !THIRD_PARTY_WARNINGS.some(pattern => pattern.test(text)),
      );
  }
}

test('every page of the plugin loads without a console warning of our own', async ({
  page,
  request,
}) => {
  test.slow();
  const adminToken = await devToken(request, 'alice');
  await createPermanentToken(request, adminToken, 'bob', 'console check');
  const log = new ConsoleLog(page);
  await signInAs(page, 'alice');
  await page.waitForLoadState('networkidle');

  const pages: [string, (p: Page) => Promise<void>][] = [
    [
      '/settings/api-tokens',
      p =>
        expect(
          p.getByRole('button', { name: 'Copy temporary API token' }),
        ).toBeVisible(),
    ],
    [
      '/api-tokens/admin/users',
      p => expect(p.getByRole('link', { name: 'bob' }).first()).toBeVisible(),
    ],
    [
      '/api-tokens/admin/users/bob',
      p => expect(p.getByRole('cell', { name: /console check/ })).toBeVisible(),
    ],
    [
      '/api-tokens/admin/tokens',
      // Other test files leave many tokens that expire sooner, so the token
      // is found by name rather than on the first page.
      async p => {
        await p.getByLabel('Name contains').fill('console check');
        await expect(
          p.getByRole('cell', { name: /console check/ }).first(),
        ).toBeVisible();
      },
    ],
    [
      '/api-tokens/admin/settings',
      p => expect(p.getByRole('tab', { name: 'Config' })).toBeVisible(),
    ],
    [
      '/api-tokens/admin/faults',
      p =>
        expect(
          p.getByRole('button', { name: 'Run expiry check now' }),
        ).toBeVisible(),
    ],
    [
      '/api-tokens/admin/lookup',
      p => expect(p.getByLabel(/Token/).first()).toBeVisible(),
    ],
    [
      '/catalog/default/user/bob/api-tokens',
      p =>
        expect(
          p.getByRole('cell', { name: /console check/ }).first(),
        ).toBeVisible(),
    ],
  ];
  const found: Record<string, string[]> = {};
  for (const [path, ready] of pages) {
    log.clear();
    await page.goto(path);
    await ready(page);
    // What loads after the content (and the re-render it causes) logs too.
    await page.waitForLoadState('networkidle');
    const ours = await log.unexpected(path);
    if (ours.length > 0) {
      found[path] = ours;
    }
  }
  expect(found).toEqual({});
});

test('the shown-once dialog asks before Escape drops a secret that was not copied', async ({
  page,
}) => {
  await signInAs(page, 'alice');
  await page.goto('/api-tokens/admin/users/bob');
  await page.getByRole('button', { name: 'Add' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Token Name').fill('escape check');
  await dialog.getByRole('button', { name: 'Create' }).click();

  const created = page.getByRole('dialog', { name: 'Token created' });
  await expect(created.getByText(/cannot retrieve it later/i)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(
    created.getByText('You have not copied the token. Close anyway?'),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/token-created-not-copied.png`,
  });
  await created.getByRole('button', { name: 'Go back' }).click();
  await expect(created.getByRole('textbox', { name: 'Token' })).toHaveValue(
    /^bsat_/,
  );

  // Copied by hand: Escape closes at once.
  await created.getByRole('textbox', { name: 'Token' }).focus();
  await page.keyboard.press('ControlOrMeta+C');
  await page.keyboard.press('Escape');
  await expect(created).toBeHidden();
});

test("a user's page ends the breadcrumb with their name", async ({ page }) => {
  await signInAs(page, 'alice');
  await page.goto('/api-tokens/admin/users/bob');
  const breadcrumb = page
    .getByRole('navigation')
    .filter({ has: page.getByRole('link', { name: 'Users' }) })
    .getByRole('listitem');
  await expect(breadcrumb.last()).toHaveText(/Bob/);
  await expect(breadcrumb).toHaveText(['Administrator', 'Users', /Bob/]);
});

test('System Settings says Config once and breaks no key or address inside a word', async ({
  page,
  request,
}) => {
  const adminToken = await devToken(request, 'alice');
  const response = await request.put(
    'http://localhost:7007/api/api-tokens/v1/settings/UserTokenExpirationNotificationEmails',
    {
      headers: { authorization: `Bearer ${adminToken}` },
      data: {
        type: 'app-config',
        value:
          'platform-security-team@example.com;ops@example.com;backstage-admins@example.com',
      },
    },
  );
  expect(response.status()).toBe(200);

  await signInAs(page, 'alice');
  // A narrow window, where the table has to wrap.
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto('/api-tokens/admin/settings');
  const table = page.getByRole('table');
  await expect(
    table.getByText('UserTokenExpirationNotificationEmails'),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/admin-settings.png`,
    fullPage: true,
  });

  // "Config" shows once outside the rows (whose type is "App Config").
  const text = await page.locator('body').innerText();
  expect(text.match(/(?<!App )Config/g)).toEqual(['Config']);

  // Every piece of text between two possible line ends (a space, a <wbr>)
  // sits on one line.
  const brokenWords = await table.evaluate(element => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const content = node.textContent ?? '';
      let start = 0;
      for (const word of content.split(' ')) {
        if (word) {
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + word.length);
          const lines = new Set(
            [...range.getClientRects()].map(rect => Math.round(rect.top)),
          );
          if (lines.size > 1) broken.push(word);
        }
        start += word.length + 1;
      }
    }
    return broken;
  });
  expect(brokenWords).toEqual([]);
});

test('the development portal signs in when opened as 127.0.0.1', async ({
  browser,
}) => {
  const context = await browser.newContext({
    baseURL: 'http://127.0.0.1:3000',
  });
  const page = await context.newPage();
  const log = new ConsoleLog(page);
  await signInAs(page, 'bob');
  await page.goto('/settings/api-tokens');
  await expect(
    page.getByRole('button', { name: 'Copy temporary API token' }),
  ).toBeVisible();
  await expect(page.getByText('You do not appear to be signed in')).toHaveCount(
    0,
  );
  expect((await log.unexpected()).filter(m => /CORS/.test(m))).toEqual([]);
  await context.close();
});
