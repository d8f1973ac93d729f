import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { makeToken, mockApiTokensApi } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { AdminUserContent } from './AdminUserContent';

describe('AdminUserContent', () => {
  it('keeps the tokens of a user who left the catalog within reach', async () => {
    const api = mockApiTokensApi({
      listAllTokens: jest
        .fn()
        .mockResolvedValue({ items: [makeToken({ name: 'old-ci' })] }),
    });
    await renderWithApis(<AdminUserContent userRef="jane" />, {
      api,
      catalogApi: catalogApiMock.mock({
        getEntityByRef: jest.fn().mockResolvedValue(undefined),
      }),
    });
    expect(
      await screen.findByText(/user:default\/jane is not in the catalog/),
    ).toBeInTheDocument();
    expect(await screen.findByText('old-ci')).toBeInTheDocument();
    expect(api.listAllTokens).toHaveBeenCalledWith(
      expect.objectContaining({ ownerRef: 'user:default/jane' }),
    );
  });

  it('refuses a reference to something other than a user', async () => {
    const catalogApi = catalogApiMock.mock({ getEntityByRef: jest.fn() });
    await renderWithApis(<AdminUserContent userRef="group:default/admins" />, {
      catalogApi,
    });
    expect(
      screen.getByText(/"group:default\/admins" is not a user/),
    ).toBeInTheDocument();
    expect(catalogApi.getEntityByRef).not.toHaveBeenCalled();
  });
});
