import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { DateTime } from 'luxon';
import {
  makeCreated,
  makeFault,
  makeToken,
  mockApiTokensApi,
} from '../../__testUtils__/fixtures';
import { FakeApiTokensBackend } from '../../__testUtils__/fakeApiTokensBackend';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { ApiTokensApi } from '../../api';
import { ApiTokensSettingsContent } from './ApiTokensSettingsContent';

describe('ApiTokensSettingsContent', () => {
  const temporary = makeCreated({
    id: 'temp-1',
    name: 'Temporary token',
    kind: 'temporary',
    expiresAt: DateTime.now().plus({ hours: 7, minutes: 50 }).toISO()!,
    hint: 'cdef',
  });
  const permanent = makeToken({ id: 'perm-1', name: 'ci-deploy' });

  it("shows the session's temporary token and the own tokens", async () => {
    const api = mockApiTokensApi({
      getSessionTemporaryToken: jest.fn().mockResolvedValue(temporary),
      listOwnTokens: jest
        .fn()
        .mockResolvedValue({ items: [temporary.token, permanent] }),
      listOwnFaults: jest.fn().mockResolvedValue({ items: [] }),
    });

    await renderWithApis(<ApiTokensSettingsContent />, { api });
    expect(
      await screen.findByRole('button', { name: 'Copy temporary API token' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/\(expires in 7 hours\)/)).toBeInTheDocument();
    expect(await screen.findByText('ci-deploy')).toBeInTheDocument();
    expect(screen.getByText(/this session/)).toBeInTheDocument();
    expect(
      screen.getByText('None of your tokens is about to expire.'),
    ).toBeInTheDocument();
    // The list is read once the temporary token is there, so it includes it.
    expect(api.listOwnTokens).toHaveBeenCalledTimes(1);
  });

  // The session's token at first, then a new one; the list follows.
  function apiReplacingTemporary(firstList: ApiToken[]) {
    const fresh = makeCreated({ ...temporary.token, id: 'temp-2' });
    return mockApiTokensApi({
      getSessionTemporaryToken: jest
        .fn()
        .mockResolvedValueOnce(temporary)
        .mockResolvedValue(fresh),
      listOwnTokens: jest
        .fn()
        .mockResolvedValueOnce({ items: firstList })
        .mockResolvedValue({ items: [fresh.token] }),
      listOwnFaults: jest.fn().mockResolvedValue({ items: [] }),
      revokeToken: jest.fn().mockResolvedValue(undefined),
    });
  }

  it('replaces a stored token that was revoked elsewhere', async () => {
    const api = apiReplacingTemporary([
      { ...temporary.token, state: 'revoked' },
    ]);
    await renderWithApis(<ApiTokensSettingsContent />, { api });
    await waitFor(() =>
      expect(api.getSessionTemporaryToken).toHaveBeenCalledTimes(2),
    );
    // The new token is read into the list, marked as this session's.
    expect(await screen.findByText(/this session/)).toBeInTheDocument();
    expect(api.listOwnTokens).toHaveBeenCalledTimes(2);
  });

  it('revokes an own token after confirmation and shows faults', async () => {
    const api = mockApiTokensApi({
      getSessionTemporaryToken: jest.fn().mockResolvedValue(temporary),
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
    await renderWithApis(<ApiTokensSettingsContent />, { api });
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
    // Faults are read again: a revoke resolves the token's faults.
    expect(api.listOwnFaults).toHaveBeenCalledTimes(2);
  });

  it('replaces the temporary token when it is revoked here', async () => {
    const api = apiReplacingTemporary([temporary.token]);
    await renderWithApis(<ApiTokensSettingsContent />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Revoke' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Revoke',
      }),
    );
    expect(api.revokeToken).toHaveBeenCalledWith('temp-1');
    await waitFor(() => expect(api.listOwnTokens).toHaveBeenCalledTimes(2));
    expect(api.getSessionTemporaryToken).toHaveBeenCalledTimes(2);
  });

  describe('over the real client and browser storage', () => {
    const jane = 'user:default/jane';
    let backend: FakeApiTokensBackend;

    beforeEach(() => {
      window.localStorage.clear();
      backend = new FakeApiTokensBackend();
    });

    async function shownToken(api: ApiTokensApi) {
      const rendered = await renderWithApis(<ApiTokensSettingsContent />, {
        api,
      });
      await screen.findByRole('button', { name: 'Copy temporary API token' });
      const shown = screen.getByTestId('temporary-api-token').textContent;
      // Let the list of own tokens settle before the page goes away.
      await screen.findByText(/this session/);
      rendered.unmount();
      return shown;
    }

    it('shows the same token after a reload and in a second tab, minted once', async () => {
      const first = await shownToken(backend.client(jane));
      const reload = await shownToken(backend.client(jane));
      const otherTab = await shownToken(backend.client(jane));
      expect(reload).toBe(first);
      expect(otherTab).toBe(first);
      expect(backend.count('POST', '/v1/tokens/temporary')).toBe(1);
    });

    it('shows another user signing in on the same browser their own token', async () => {
      const janes = await shownToken(backend.client(jane));
      const bobs = await shownToken(backend.client('user:default/bob'));
      expect(bobs).not.toBe(janes);
      expect(backend.requests.filter(r => r.path === '/v1/self').length).toBe(
        0,
      );
      expect(backend.count('POST', '/v1/tokens/temporary')).toBe(2);
    });
  });

  it("shows the server's message when the tokens cannot be loaded", async () => {
    const api = mockApiTokensApi({
      getSessionTemporaryToken: jest.fn().mockResolvedValue(temporary),
      listOwnTokens: jest
        .fn()
        .mockRejectedValue(new Error('The token service is unavailable')),
      listOwnFaults: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWithApis(<ApiTokensSettingsContent />, { api });
    expect(
      await screen.findByText(
        /Could not load tokens: The token service is unavailable/,
      ),
    ).toBeInTheDocument();
  });
});
