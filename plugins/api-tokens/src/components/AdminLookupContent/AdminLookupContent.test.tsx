import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  makeResponseError,
  makeToken,
  mockApiTokensApi,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { AdminLookupContent } from './AdminLookupContent';

// Denied permissions are tested in ../permissions.test.tsx.
const VALUE = 'bsat_0123456789abcdefghijABCDEFGHIJ01abcdef';

describe('AdminLookupContent', () => {
  it('looks up a value typed in a password field and shows whose token it is, then forgets the value', async () => {
    const api = mockApiTokensApi({
      lookUpToken: jest.fn().mockResolvedValue({
        token: makeToken({
          name: 'ci-deploy',
          ownerRef: 'user:default/jane',
          state: 'revoked',
          revokedAt: new Date().toISOString(),
          revokedBy: 'leak-report:github',
        }),
        revokedReason: 'leaked',
        leakUrl: 'https://github.com/octo/repo/blob/main/ci.yml',
      }),
    });
    await renderWithApis(<AdminLookupContent />, { api });

    const field = await screen.findByLabelText('Token value');
    expect(field).toHaveAttribute('type', 'password');
    await userEvent.type(field, VALUE);
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));

    expect(await screen.findByText('ci-deploy')).toBeInTheDocument();
    expect(api.lookUpToken).toHaveBeenCalledWith(VALUE);
    expect(screen.getByText('user:default/jane')).toBeInTheDocument();
    expect(screen.getByText('Revoked: leaked')).toBeInTheDocument();
    expect(
      screen.getByText('https://github.com/octo/repo/blob/main/ci.yml'),
    ).toBeInTheDocument();
    expect(field).toHaveValue('');
    expect(document.body.textContent).not.toContain(VALUE);
  });

  it("shows the server's message for a value that is none of ours", async () => {
    const api = mockApiTokensApi({
      lookUpToken: jest
        .fn()
        .mockRejectedValue(
          await makeResponseError(
            404,
            'NotFoundError',
            'No API token has this value',
          ),
        ),
    });
    await renderWithApis(<AdminLookupContent />, { api });

    await userEvent.type(await screen.findByLabelText('Token value'), VALUE);
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));

    expect(
      (await screen.findAllByText(/No API token has this value/)).length,
    ).toBeGreaterThan(0);
  });
});
