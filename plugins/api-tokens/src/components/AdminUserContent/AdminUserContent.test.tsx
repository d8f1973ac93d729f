import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { apiTokensApiRef } from '../../api';
import { makeToken, mockApiTokensApi } from '../../testing/fixtures';
import { AdminUserContent } from './AdminUserContent';

function renderUser(userRef: string, catalogApi = catalogApiMock.mock()) {
  const api = mockApiTokensApi({
    listUserTokens: jest
      .fn()
      .mockResolvedValue({ items: [makeToken({ name: 'old-ci' })] }),
  });
  return {
    api,
    ...renderInTestApp(
      <TestApiProvider
        apis={[
          [apiTokensApiRef, api],
          [catalogApiRef, catalogApi],
          [
            permissionApiRef,
            { authorize: jest.fn().mockResolvedValue({ result: 'ALLOW' }) },
          ],
        ]}
      >
        <AdminUserContent userRef={userRef} />
      </TestApiProvider>,
    ),
  };
}

describe('AdminUserContent', () => {
  it('keeps the tokens of a user who left the catalog within reach', async () => {
    const { api } = renderUser(
      'jane',
      catalogApiMock.mock({
        getEntityByRef: jest.fn().mockResolvedValue(undefined),
      }),
    );
    expect(
      await screen.findByText(/user:default\/jane is not in the catalog/),
    ).toBeInTheDocument();
    expect(await screen.findByText('old-ci')).toBeInTheDocument();
    expect(api.listUserTokens).toHaveBeenCalledWith(
      'user:default/jane',
      expect.anything(),
    );
  });

  it('refuses a reference to something other than a user', async () => {
    const catalogApi = catalogApiMock.mock({ getEntityByRef: jest.fn() });
    renderUser('group:default/admins', catalogApi);
    expect(
      await screen.findByText(/"group:default\/admins" is not a user/),
    ).toBeInTheDocument();
    expect(catalogApi.getEntityByRef).not.toHaveBeenCalled();
  });
});
