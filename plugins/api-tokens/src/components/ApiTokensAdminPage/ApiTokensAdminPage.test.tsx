import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { mockApiTokensApi } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { ApiTokensAdminPage } from './ApiTokensAdminPage';

describe('ApiTokensAdminPage (legacy frontend system)', () => {
  it('shows Users, System Settings, Faults and Look up a token under one header', async () => {
    await renderWithApis(
      <Routes>
        <Route path="/api-tokens/admin/*" element={<ApiTokensAdminPage />} />
      </Routes>,
      {
        api: mockApiTokensApi({
          listSettings: jest.fn().mockResolvedValue({ items: [] }),
        }),
        catalogApi: catalogApiMock.mock({
          queryEntities: jest
            .fn()
            .mockResolvedValue({ items: [], totalItems: 0, pageInfo: {} }),
        }),
        routeEntries: ['/api-tokens/admin/users'],
      },
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

    await userEvent.click(screen.getByRole('tab', { name: 'Look up a token' }));
    expect(await screen.findByLabelText('Token value')).toBeInTheDocument();
  });
});
