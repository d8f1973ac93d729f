import { Entity } from '@backstage/catalog-model';
import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiTokensApiRef } from '../api';
import {
  makeCreated,
  makeToken,
  mockApiTokensApi,
} from '../__testUtils__/fixtures';
import apiTokensPlugin from './plugin';

const jane: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'jane', namespace: 'default' },
  spec: { profile: { displayName: 'Jane Doe', email: 'jane@example.com' } },
};

// Stands in for @backstage/plugin-user-settings, whose page the Settings tab
// attaches to.
const userSettingsPlugin = createFrontendPlugin({
  pluginId: 'user-settings',
  extensions: [
    PageBlueprint.make({ params: { path: '/settings', title: 'Settings' } }),
  ],
});

describe('apiTokensPlugin (new frontend system)', () => {
  // The pages load their content lazily, on first render. Load it here, so
  // that the tests wait for what the pages show, not for compiling their
  // modules (over a second on a busy machine). This hook may take that long.
  beforeAll(async () => {
    await Promise.all([
      import('../components/ApiTokensSettingsContent'),
      import('../components/AdminUsersContent'),
      import('../components/AdminSettingsContent'),
      import('../components/AdminFaultsContent'),
      import('../components/AdminLookupContent'),
    ]);
  }, 60_000);

  it('has the settings tab, the admin page and its sub-pages', () => {
    expect(apiTokensPlugin.getExtension('api:api-tokens')).toBeDefined();
    expect(
      apiTokensPlugin.getExtension('sub-page:api-tokens/settings'),
    ).toBeDefined();
    expect(apiTokensPlugin.getExtension('page:api-tokens/admin')).toBeDefined();
    expect(
      apiTokensPlugin.getExtension('sub-page:api-tokens/admin-users'),
    ).toBeDefined();
    expect(
      apiTokensPlugin.getExtension('sub-page:api-tokens/admin-settings'),
    ).toBeDefined();
    expect(
      apiTokensPlugin.getExtension('sub-page:api-tokens/admin-faults'),
    ).toBeDefined();
    expect(
      apiTokensPlugin.getExtension('sub-page:api-tokens/admin-lookup'),
    ).toBeDefined();
  });

  it('adds the API Tokens tab to the Settings page', async () => {
    const api = mockApiTokensApi({
      getSessionTemporaryToken: jest
        .fn()
        .mockResolvedValue(makeCreated({ kind: 'temporary' })),
      listOwnTokens: jest.fn().mockResolvedValue({ items: [] }),
      listOwnFaults: jest.fn().mockResolvedValue({ items: [] }),
    });
    renderTestApp({
      features: [userSettingsPlugin, apiTokensPlugin],
      initialRouteEntries: ['/settings/api-tokens'],
      apis: [[apiTokensApiRef, api]],
    });
    expect(
      await screen.findByRole('button', { name: 'Copy temporary API token' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('API Tokens').length).toBeGreaterThan(0);
  });

  it("routes the admin page to a user's tokens", async () => {
    const api = mockApiTokensApi({
      listAllTokens: jest
        .fn()
        .mockResolvedValue({ items: [makeToken({ name: 'ci-deploy' })] }),
    });
    renderTestApp({
      features: [apiTokensPlugin],
      initialRouteEntries: ['/api-tokens/admin/users/jane'],
      apis: [
        [apiTokensApiRef, api],
        catalogApiMock({ entities: [jane] }),
        mockApis.permission(),
      ],
    });
    expect(
      await screen.findByRole('heading', { name: 'Jane Doe' }),
    ).toBeInTheDocument();
    // The header's breadcrumb ends with the user's display name.
    const breadcrumb = (
      await screen.findByText('Jane Doe', {
        selector: 'ol li:last-child *',
      })
    ).closest('ol')!;
    expect(
      within(breadcrumb)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['Administrator', 'Users', 'Jane Doe']);
    const panel = screen.getByRole('tabpanel');
    expect(await within(panel).findByText('ci-deploy')).toBeInTheDocument();
    for (const tab of ['Users', 'System Settings', 'Faults']) {
      expect(screen.getAllByText(tab).length).toBeGreaterThan(0);
    }
  });

  it('navigates from the user list to a user and back', async () => {
    const api = mockApiTokensApi({
      listAllTokens: jest.fn().mockResolvedValue({ items: [] }),
    });
    renderTestApp({
      features: [apiTokensPlugin],
      initialRouteEntries: ['/api-tokens/admin'],
      apis: [
        [apiTokensApiRef, api],
        catalogApiMock.mock({
          queryEntities: jest
            .fn()
            .mockResolvedValue({ items: [jane], totalItems: 1, pageInfo: {} }),
          getEntityByRef: jest.fn().mockResolvedValue(jane),
        }),
        mockApis.permission(),
      ],
    });
    // The page opens on its first tab, Users.
    const link = await screen.findByRole('link', { name: 'jane' });
    expect(link).toHaveAttribute('href', '/api-tokens/admin/users/jane');
    await userEvent.click(link);
    expect(
      await screen.findByRole('heading', { name: 'Jane Doe' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('link', { name: 'All users' }));
    expect(
      await screen.findByRole('searchbox', { name: 'Search users' }),
    ).toBeInTheDocument();
  });
});
