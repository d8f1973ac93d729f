import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { ReactElement } from 'react';
import { mockApiTokensApi } from '../__testUtils__/fixtures';
import { renderWithApis } from '../__testUtils__/renderWithApis';
import { AdminFaultsContent } from './AdminFaultsContent';
import { AdminLookupContent } from './AdminLookupContent';
import { AdminSettingsContent } from './AdminSettingsContent';
import { AdminUsersContent } from './AdminUsersContent';
import { TokenInventoryContent } from './TokenInventoryContent';

// The permission policy never answers in this file (usePermission caches
// answers per file): every admin page shows Backstage's progress bar
// meanwhile, not a blank area.
const pages: [string, ReactElement][] = [
  ['Users', <AdminUsersContent />],
  ['Tokens', <TokenInventoryContent />],
  ['System Settings', <AdminSettingsContent />],
  ['Faults', <AdminFaultsContent />],
  ['Look up a token', <AdminLookupContent />],
];

describe('admin pages while the permission policy has not answered', () => {
  it.each(pages)('%s shows progress', async (_name, page) => {
    const catalogApi = catalogApiMock.mock({ queryEntities: jest.fn() });
    await renderWithApis(page, {
      api: mockApiTokensApi(),
      catalogApi,
      permission: 'PENDING',
    });
    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    expect(catalogApi.queryEntities).not.toHaveBeenCalled();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
