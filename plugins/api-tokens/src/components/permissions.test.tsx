import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { ReactElement } from 'react';
import { ApiTokensApi } from '../api';
import {
  makeFault,
  makeToken,
  mockApiTokensApi,
} from '../__testUtils__/fixtures';
import { renderWithApis } from '../__testUtils__/renderWithApis';
import { AdminFaultsContent } from './AdminFaultsContent';
import { AdminLookupContent } from './AdminLookupContent';
import { AdminSettingsContent } from './AdminSettingsContent';
import { AdminUsersContent } from './AdminUsersContent';
import { UserTokensPanel } from './UserTokensPanel';

// Every permission is denied in this file. usePermission caches its answers
// for the whole test file, which is why the allowed cases live beside each
// component instead.
function renderDenied(
  element: ReactElement,
  api: ApiTokensApi,
  catalogApi = catalogApiMock.mock(),
) {
  return renderWithApis(element, { api, catalogApi, permission: 'DENY' });
}

describe('admin pages for people without permission', () => {
  const data = () =>
    mockApiTokensApi({
      listAllTokens: jest.fn().mockResolvedValue({ items: [makeToken()] }),
      listSettings: jest.fn().mockResolvedValue({ items: [] }),
      listFaults: jest.fn().mockResolvedValue({ items: [makeFault()] }),
    });

  it('Users refuses and reads no users', async () => {
    const catalogApi = catalogApiMock.mock({
      queryEntities: jest.fn(),
      getEntityByRef: jest.fn(),
    });
    const { authorize } = await renderDenied(
      <AdminUsersContent />,
      data(),
      catalogApi,
    );
    expect(
      await screen.findByText('You are not allowed to manage API tokens'),
    ).toBeInTheDocument();
    expect(catalogApi.queryEntities).not.toHaveBeenCalled();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(authorize).toHaveBeenCalledWith({
      permission: expect.objectContaining({ name: 'api-tokens.token.read' }),
    });
  });

  it('System Settings refuses and reads no settings', async () => {
    const api = data();
    await renderDenied(<AdminSettingsContent />, api);
    expect(
      await screen.findByText('You are not allowed to manage API tokens'),
    ).toBeInTheDocument();
    expect(api.listSettings).not.toHaveBeenCalled();
    expect(screen.queryByRole('tab', { name: 'Config' })).toBeNull();
  });

  it('Faults refuses and reads no faults', async () => {
    const api = data();
    await renderDenied(<AdminFaultsContent />, api);
    expect(
      await screen.findByText('You are not allowed to manage API tokens'),
    ).toBeInTheDocument();
    expect(api.listFaults).not.toHaveBeenCalled();
    expect(
      screen.queryByRole('button', { name: 'Run expiry check now' }),
    ).toBeNull();
  });

  it('Look up a token refuses and offers no field', async () => {
    const api = data();
    await renderDenied(<AdminLookupContent />, api);
    expect(
      await screen.findByText('You are not allowed to manage API tokens'),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Token value')).toBeNull();
  });

  it('a user page offers neither Add nor Revoke without those permissions', async () => {
    await renderDenied(
      <UserTokensPanel userRef="user:default/jane" userName="Jane" />,
      data(),
    );
    expect(await screen.findByText('ci-deploy')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
  });
});
