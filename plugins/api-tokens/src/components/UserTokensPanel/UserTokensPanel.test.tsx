import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { ApiTokensApi } from '../../api';
import {
  makeCreated,
  makeToken,
  mockApiTokensApi,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { UserTokensPanel } from './UserTokensPanel';

const limits = {
  permanentTokenMaxExpiresAt: DateTime.now().plus({ days: 365 }).toISO()!,
  temporaryTokenLifetimeSeconds: 28800,
};

// Denied permissions are tested in ../permissions.test.tsx.
function renderPanel(api: ApiTokensApi) {
  return renderWithApis(
    <UserTokensPanel userRef="user:default/jane" userName="Jane Doe" />,
    { api },
  );
}

describe('UserTokensPanel', () => {
  it('creates a token and shows it once with Copy', async () => {
    const created = makeCreated({ id: 'new', name: 'ci-deploy' });
    const api = mockApiTokensApi({
      listAllTokens: jest
        .fn()
        .mockResolvedValueOnce({ items: [] })
        .mockResolvedValue({ items: [created.token] }),
      getLimits: jest.fn().mockResolvedValue(limits),
      previewTokenScope: jest
        .fn()
        .mockResolvedValue({ plugins: [], permissions: [] }),
      createUserToken: jest.fn().mockResolvedValue(created),
    });
    await renderPanel(api);
    expect(
      await screen.findByText('Jane Doe has no API tokens yet.'),
    ).toBeInTheDocument();
    expect(api.listAllTokens).toHaveBeenCalledWith({
      ownerRef: 'user:default/jane',
      states: ['active'],
      sort: 'createdAt',
      order: 'desc',
      limit: 25,
      cursor: undefined,
    });

    // Add shows once the create permission is answered.
    await userEvent.click(await screen.findByRole('button', { name: 'Add' }));
    const createDialog = screen.getByRole('dialog', {
      name: 'Create a new token',
    });
    // Create waits for the lifetime limits, which bring the date field.
    await within(createDialog).findByLabelText('Expiry date');
    await userEvent.type(
      within(createDialog).getByRole('textbox', { name: /Token Name/ }),
      'ci-deploy',
    );
    await userEvent.click(
      within(createDialog).getByRole('button', { name: 'Create' }),
    );

    const shown = await screen.findByRole('dialog', { name: 'Token created' });
    expect(within(shown).getByRole('textbox', { name: 'Token' })).toHaveValue(
      created.secret,
    );
    expect(
      within(shown).getByRole('button', { name: 'Copy' }),
    ).toBeInTheDocument();
    expect(shown).toHaveTextContent(/cannot\s+retrieve it later/);

    await userEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    await userEvent.click(
      within(shown).getByRole('button', { name: 'Close anyway' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // The secret is gone for good; the list shows the metadata only.
    expect(screen.queryByText(created.secret)).not.toBeInTheDocument();
    expect(await screen.findByText('ci-deploy')).toBeInTheDocument();
  });

  it('revokes a token after confirmation', async () => {
    const token = makeToken({ id: 't1', name: 'nightly' });
    const api = mockApiTokensApi({
      listAllTokens: jest.fn().mockResolvedValue({ items: [token] }),
      revokeToken: jest.fn().mockResolvedValue(undefined),
    });
    await renderPanel(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Revoke' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Revoke',
      }),
    );
    expect(api.revokeToken).toHaveBeenCalledWith('t1');
    await waitFor(() => expect(api.listAllTokens).toHaveBeenCalledTimes(2));
  });
});

describe('UserTokensPanel state filter', () => {
  it('shows active tokens by default, and the chips add other states', async () => {
    const api = mockApiTokensApi({
      listAllTokens: jest.fn().mockResolvedValue({ items: [] }),
      getLimits: jest.fn().mockResolvedValue(limits),
    });
    await renderPanel(api);
    expect(
      await screen.findByText('Jane Doe has no API tokens yet.'),
    ).toBeInTheDocument();
    const revoked = screen.getByRole('checkbox', { name: 'Revoked' });
    expect(revoked).toHaveAttribute('aria-checked', 'false');
    expect(screen.getByRole('checkbox', { name: 'Active' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    revoked.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() =>
      expect(api.listAllTokens).toHaveBeenLastCalledWith(
        expect.objectContaining({ states: ['active', 'revoked'] }),
      ),
    );
    expect(
      await screen.findByText('Jane Doe has no tokens in these states.'),
    ).toBeInTheDocument();
  });
});
