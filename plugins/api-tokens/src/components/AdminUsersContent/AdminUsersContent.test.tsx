import { Entity } from '@backstage/catalog-model';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeToken, mockApiTokensApi } from '../../__testUtils__/fixtures';
import {
  renderWithApis,
  RenderWithApisOptions,
} from '../../__testUtils__/renderWithApis';
import { AdminUsersContent } from './AdminUsersContent';

function user(
  name: string,
  displayName: string,
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace },
    spec: { profile: { displayName, email: `${name}@example.com` } },
  };
}

const jane = user('jane', 'Jane Doe');
const bob = user('bob', 'Bob Builder', 'contractors');

// Denied permissions are tested in ../permissions.test.tsx.
function renderContent(options: RenderWithApisOptions) {
  return renderWithApis(<AdminUsersContent />, options);
}

describe('AdminUsersContent', () => {
  it('lists catalog users, searches and pages', async () => {
    const catalogApi = catalogApiMock.mock({
      queryEntities: jest
        .fn()
        .mockResolvedValueOnce({
          items: [jane, bob],
          totalItems: 3,
          pageInfo: { nextCursor: 'page-2' },
        })
        .mockResolvedValueOnce({
          items: [user('zed', 'Zed')],
          totalItems: 3,
          pageInfo: { prevCursor: 'page-1' },
        })
        .mockResolvedValue({ items: [jane], totalItems: 1, pageInfo: {} }),
    });
    await renderContent({ catalogApi });

    expect(await screen.findByRole('link', { name: 'jane' })).toHaveAttribute(
      'href',
      '/jane',
    );
    // Users outside the default namespace are addressed by their full ref.
    expect(screen.getByRole('link', { name: 'bob' })).toHaveAttribute(
      'href',
      `/${encodeURIComponent('user:contractors/bob')}`,
    );
    expect(screen.getByText('jane@example.com')).toBeInTheDocument();
    expect(screen.getByText('3 users')).toBeInTheDocument();
    expect(catalogApi.queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({ filter: { kind: 'User' } }),
    );

    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(
      await screen.findByRole('link', { name: 'zed' }),
    ).toBeInTheDocument();
    expect(catalogApi.queryEntities).toHaveBeenLastCalledWith({
      cursor: 'page-2',
      limit: 20,
    });

    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Search users' }),
      'jan',
    );
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          filter: { kind: 'User' },
          fullTextFilter: expect.objectContaining({ term: 'jan' }),
        }),
      ),
    );
    expect(await screen.findByText('1 user')).toBeInTheDocument();
  });

  it("opens a user's page with their tokens", async () => {
    const catalogApi = catalogApiMock.mock({
      queryEntities: jest
        .fn()
        .mockResolvedValue({ items: [jane], totalItems: 1, pageInfo: {} }),
      getEntityByRef: jest.fn().mockResolvedValue(jane),
    });
    const api = mockApiTokensApi({
      listAllTokens: jest
        .fn()
        .mockResolvedValue({ items: [makeToken({ name: 'ci-deploy' })] }),
    });
    await renderContent({ catalogApi, api });
    await userEvent.click(await screen.findByRole('link', { name: 'jane' }));

    expect(
      await screen.findByRole('heading', { name: 'Jane Doe' }),
    ).toBeInTheDocument();
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith('user:default/jane');
    expect(
      screen.getByRole('link', { name: 'jane@example.com' }),
    ).toBeVisible();
    expect(screen.getByRole('tab', { name: 'Tokens' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    const panel = screen.getByRole('tabpanel');
    expect(await within(panel).findByText('ci-deploy')).toBeInTheDocument();
    expect(api.listAllTokens).toHaveBeenCalledWith({
      ownerRef: 'user:default/jane',
      states: ['active'],
      sort: 'createdAt',
      order: 'desc',
      limit: 25,
      cursor: undefined,
    });
    expect(
      await within(panel).findByRole('button', { name: 'Add' }),
    ).toBeInTheDocument();
  });

  it('accepts a full user ref in the address', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntityByRef: jest.fn().mockResolvedValue(bob),
    });
    const api = mockApiTokensApi({
      listAllTokens: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderContent({
      catalogApi,
      api,
      routeEntries: [`/${encodeURIComponent('user:contractors/bob')}`],
    });
    expect(
      await screen.findByRole('heading', { name: 'Bob Builder' }),
    ).toBeInTheDocument();
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith(
      'user:contractors/bob',
    );
  });
});
