import { identityApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { ApiTokensApi, apiTokensApiRef } from '../../api';
import { TEMPORARY_TOKEN_STORAGE_KEY } from '../../hooks';
import {
  makeCreated,
  makeFault,
  makeToken,
  mockApiTokensApi,
} from '../../testing/fixtures';
import { ApiTokensSettingsContent } from './ApiTokensSettingsContent';

function renderContent(api: ApiTokensApi, userEntityRef = 'user:default/jane') {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [apiTokensApiRef, api],
        [identityApiRef, mockApis.identity({ userEntityRef })],
      ]}
    >
      <ApiTokensSettingsContent />
    </TestApiProvider>,
  );
}

describe('ApiTokensSettingsContent', () => {
  const temporary = makeCreated({
    id: 'temp-1',
    name: 'Temporary token',
    kind: 'temporary',
    expiresAt: DateTime.now().plus({ hours: 7, minutes: 50 }).toISO()!,
    hint: 'cdef',
  });
  const permanent = makeToken({ id: 'perm-1', name: 'ci-deploy' });

  beforeEach(() => window.sessionStorage.clear());

  it('creates the temporary token once per browser session', async () => {
    const api = mockApiTokensApi({
      createTemporaryToken: jest.fn().mockResolvedValue(temporary),
      listOwnTokens: jest
        .fn()
        .mockResolvedValue({ items: [temporary.token, permanent] }),
      listOwnFaults: jest.fn().mockResolvedValue({ items: [] }),
    });

    const first = await renderContent(api);
    expect(
      await screen.findByRole('button', { name: 'Copy temporary API token' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/\(expires in 7 hours\)/)).toBeInTheDocument();
    expect(await screen.findByText('ci-deploy')).toBeInTheDocument();
    expect(screen.getByText(/this session/)).toBeInTheDocument();
    expect(
      JSON.parse(window.sessionStorage.getItem(TEMPORARY_TOKEN_STORAGE_KEY)!),
    ).toEqual(temporary);
    first.unmount();

    // A reload in the same session shows the same token.
    await renderContent(api);
    expect(
      await screen.findByRole('button', { name: 'Copy temporary API token' }),
    ).toBeInTheDocument();
    expect(api.createTemporaryToken).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["another user's token", makeCreated({ ownerRef: 'user:default/bob' })],
    [
      'an expired token',
      makeCreated({ expiresAt: DateTime.now().minus({ minutes: 1 }).toISO()! }),
    ],
  ])('does not reuse %s', async (_case, stored) => {
    window.sessionStorage.setItem(
      TEMPORARY_TOKEN_STORAGE_KEY,
      JSON.stringify(stored),
    );
    const api = mockApiTokensApi({
      createTemporaryToken: jest.fn().mockResolvedValue(temporary),
      listOwnTokens: jest.fn().mockResolvedValue({ items: [] }),
      listOwnFaults: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderContent(api);
    await screen.findByRole('button', { name: 'Copy temporary API token' });
    expect(api.createTemporaryToken).toHaveBeenCalledTimes(1);
    expect(
      JSON.parse(window.sessionStorage.getItem(TEMPORARY_TOKEN_STORAGE_KEY)!),
    ).toEqual(temporary);
  });

  it('replaces a stored token that was revoked elsewhere', async () => {
    window.sessionStorage.setItem(
      TEMPORARY_TOKEN_STORAGE_KEY,
      JSON.stringify(temporary),
    );
    const fresh = makeCreated({ ...temporary.token, id: 'temp-2' });
    const api = mockApiTokensApi({
      createTemporaryToken: jest.fn().mockResolvedValue(fresh),
      listOwnTokens: jest
        .fn()
        .mockResolvedValueOnce({
          items: [{ ...temporary.token, state: 'revoked' }],
        })
        .mockResolvedValue({ items: [fresh.token] }),
      listOwnFaults: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderContent(api);
    await waitFor(() => expect(api.createTemporaryToken).toHaveBeenCalled());
    await waitFor(() =>
      expect(
        JSON.parse(window.sessionStorage.getItem(TEMPORARY_TOKEN_STORAGE_KEY)!)
          .token.id,
      ).toBe('temp-2'),
    );
  });

  it('revokes an own token after confirmation and shows faults', async () => {
    const api = mockApiTokensApi({
      createTemporaryToken: jest.fn().mockResolvedValue(temporary),
      listOwnTokens: jest
        .fn()
        .mockResolvedValueOnce({ items: [permanent] })
        .mockResolvedValue({
          items: [
            {
              ...permanent,
              state: 'revoked',
              revokedAt: DateTime.now().toISO(),
            },
          ],
        }),
      listOwnFaults: jest.fn().mockResolvedValue({
        items: [makeFault({ tokenId: 'perm-1', tokenName: 'ci-deploy' })],
      }),
      revokeToken: jest.fn().mockResolvedValue(undefined),
    });
    await renderContent(api);
    expect(await screen.findByText('expires in 12 days')).toBeInTheDocument();

    await userEvent.click(
      await screen.findByRole('button', { name: 'Revoke' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke' }),
    );
    expect(api.revokeToken).toHaveBeenCalledWith('perm-1');
    expect(await screen.findByText('Revoked')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull(),
    );
  });

  it("shows the server's message when the tokens cannot be loaded", async () => {
    const api = mockApiTokensApi({
      createTemporaryToken: jest.fn().mockResolvedValue(temporary),
      listOwnTokens: jest
        .fn()
        .mockRejectedValue(new Error('The token service is unavailable')),
      listOwnFaults: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderContent(api);
    expect(
      await screen.findByText(
        /Could not load tokens: The token service is unavailable/,
      ),
    ).toBeInTheDocument();
  });
});
