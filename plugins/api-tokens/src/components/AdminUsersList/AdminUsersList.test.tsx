import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { AdminUsersList } from './AdminUsersList';

function renderList(queryEntities: jest.Mock) {
  return renderWithApis(<AdminUsersList />, {
    catalogApi: catalogApiMock.mock({ queryEntities }),
  });
}

describe('AdminUsersList', () => {
  it('says when no user matches the search', async () => {
    const queryEntities = jest
      .fn()
      .mockResolvedValue({ items: [], totalItems: 0, pageInfo: {} });
    await renderList(queryEntities);
    expect(
      await screen.findByText('There are no users in the catalog.'),
    ).toBeInTheDocument();
    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Search users' }),
      'nobody',
    );
    await waitFor(() =>
      expect(queryEntities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          fullTextFilter: expect.objectContaining({ term: 'nobody' }),
        }),
      ),
    );
    expect(
      await screen.findByText('No users match "nobody".'),
    ).toBeInTheDocument();
  });

  it("shows the catalog's message when users cannot be read", async () => {
    await renderList(
      jest.fn().mockRejectedValue(new Error('The catalog is unavailable')),
    );
    expect(
      await screen.findByText(
        /Could not load users: The catalog is unavailable/,
      ),
    ).toBeInTheDocument();
  });
});
