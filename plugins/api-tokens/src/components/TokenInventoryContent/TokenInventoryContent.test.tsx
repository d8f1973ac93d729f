import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeToken, mockApiTokensApi } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { TokenInventoryContent } from './TokenInventoryContent';

const SUMMARY = {
  active: 12,
  expiringSoon: 3,
  neverUsed: 5,
  recentlyRevoked: 2,
  windowDays: 30,
};

function setUp() {
  const api = mockApiTokensApi({
    getTokenInventorySummary: jest.fn().mockResolvedValue(SUMMARY),
    listAllTokens: jest.fn().mockImplementation(async request =>
      request?.cursor
        ? {
            items: [makeToken({ id: 'token-3', name: 'page two' })],
          }
        : {
            items: [
              makeToken({ id: 'token-1', name: 'deploy' }),
              makeToken({
                id: 'token-2',
                name: 'nightly',
                ownerRef: 'user:default/carol',
              }),
            ],
            nextCursor: 'next',
          },
    ),
    revokeToken: jest.fn().mockResolvedValue(undefined),
  });
  const catalogApi = catalogApiMock.mock({
    queryEntities: jest
      .fn()
      .mockResolvedValue({ items: [], totalItems: 0, pageInfo: {} }),
  });
  return { api, catalogApi };
}

describe('TokenInventoryContent', () => {
  it('shows the counts, and a card filters the list', async () => {
    const { api, catalogApi } = setUp();
    await renderWithApis(<TokenInventoryContent />, { api, catalogApi });

    expect(await screen.findByText('deploy')).toBeInTheDocument();
    expect(api.listAllTokens).toHaveBeenLastCalledWith(
      expect.objectContaining({
        states: ['active'],
        sort: 'expiresAt',
        order: 'asc',
        limit: 25,
      }),
    );
    const revoked = await screen.findByRole('button', {
      name: 'Revoked in the last 30 days: 2',
    });
    await userEvent.click(revoked);
    await waitFor(() =>
      expect(api.listAllTokens).toHaveBeenLastCalledWith(
        expect.objectContaining({
          states: ['revoked'],
          revokedSince: expect.any(String),
        }),
      ),
    );
  });

  it('pages on the server, forward and back', async () => {
    const { api, catalogApi } = setUp();
    await renderWithApis(<TokenInventoryContent />, { api, catalogApi });
    await screen.findByText('deploy');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('page two')).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(api.listAllTokens).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: 'next' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    expect(await screen.findByText('deploy')).toBeInTheDocument();
  });

  it('revokes the selected tokens, one request each, after saying how many and whose', async () => {
    const { api, catalogApi } = setUp();
    await renderWithApis(<TokenInventoryContent />, { api, catalogApi });
    await screen.findByText('deploy');
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select every token on this page' }),
    );
    expect(screen.getByText('2 tokens selected')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Revoke selected' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Revoke 2 tokens?')).toBeInTheDocument();
    expect(dialog).toHaveTextContent('deploy, nightly');
    expect(dialog).toHaveTextContent('jane');
    expect(dialog).toHaveTextContent('carol');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke' }),
    );
    await waitFor(() => expect(api.revokeToken).toHaveBeenCalledTimes(2));
    expect(api.revokeToken).toHaveBeenCalledWith('token-1');
    expect(api.revokeToken).toHaveBeenCalledWith('token-2');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('exports every page of the filtered list as CSV', async () => {
    const { api, catalogApi } = setUp();
    const createObjectURL = jest.fn(() => 'blob:csv');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    await renderWithApis(<TokenInventoryContent />, { api, catalogApi });
    await screen.findByText('deploy');
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(api.listAllTokens).toHaveBeenCalledWith(
      expect.objectContaining({ limit: 1000, cursor: 'next' }),
    );
    const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
    const text = await blob.text();
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(4);
    expect(text).toContain('page two');
    click.mockRestore();
  });
});
