import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { apiTokensApiRef } from '../../api';
import { mockApiTokensApi } from '../../testing/fixtures';
import { ApiTokensAdminPage } from './ApiTokensAdminPage';

describe('ApiTokensAdminPage (legacy frontend system)', () => {
  it('shows Users, System Settings and Faults under one header', async () => {
    const api = mockApiTokensApi({
      listSettings: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [apiTokensApiRef, api],
          [
            catalogApiRef,
            catalogApiMock.mock({
              queryEntities: jest
                .fn()
                .mockResolvedValue({ items: [], totalItems: 0, pageInfo: {} }),
            }),
          ],
          [
            permissionApiRef,
            { authorize: jest.fn().mockResolvedValue({ result: 'ALLOW' }) },
          ],
        ]}
      >
        <Routes>
          <Route path="/api-tokens/admin/*" element={<ApiTokensAdminPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/api-tokens/admin/users'] },
    );
    expect(
      screen.getByRole('heading', { name: 'Administrator' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('searchbox', { name: 'Search users' }),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'System Settings' }));
    expect(
      await screen.findByText(
        'No settings yet: the defaults from app-config apply.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Faults' })).toBeInTheDocument();
  });
});
