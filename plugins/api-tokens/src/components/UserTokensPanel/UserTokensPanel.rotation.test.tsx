import { fireEvent, screen, waitFor, within } from '@testing-library/react';
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
  permanentTokenMaxExpiresAt: DateTime.now().plus({ days: 30 }).toISO()!,
  temporaryTokenLifetimeSeconds: 28800,
};

function renderPanel(api: ApiTokensApi) {
  return renderWithApis(
    <UserTokensPanel userRef="user:default/jane" userName="Jane Doe" />,
    { api },
  );
}

describe('UserTokensPanel rotation and details', () => {
  it('rotates a token with the chosen overlap and shows the new secret once', async () => {
    const old = makeToken({ id: 'old', name: 'ci-deploy', hint: 'aaaa' });
    const rotated = makeCreated({
      id: 'new',
      name: 'ci-deploy',
      hint: 'bbbb',
      rotatedFrom: 'old',
    });
    const api = mockApiTokensApi({
      listAllTokens: jest
        .fn()
        .mockResolvedValueOnce({ items: [old] })
        .mockResolvedValue({
          items: [rotated.token, { ...old, rotatedTo: 'new' }],
        }),
      getLimits: jest.fn().mockResolvedValue(limits),
      rotateToken: jest.fn().mockResolvedValue(rotated),
    });
    await renderPanel(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Rotate' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Rotate this token' });
    const expiry = await within(dialog).findByLabelText('Expiry date');
    // The date picker is bounded by the lifetime policy.
    expect(expiry).toHaveAttribute(
      'max',
      DateTime.fromISO(limits.permanentTokenMaxExpiresAt).toISODate(),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: /24 hours/ }),
    );
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: '4 hours',
      }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Rotate' }),
    );

    expect(api.rotateToken).toHaveBeenCalledWith('old', { overlapHours: 4 });
    const shown = await screen.findByRole('dialog', { name: 'Token created' });
    expect(within(shown).getByRole('textbox', { name: 'Token' })).toHaveValue(
      rotated.secret,
    );
    await userEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    await userEvent.click(
      within(shown).getByRole('button', { name: 'Close anyway' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(screen.queryByText(rotated.secret)).not.toBeInTheDocument();

    // Each token links to the other; the replaced one cannot be rotated again.
    expect(
      await screen.findByRole('button', { name: 'replaced by …bbbb' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'replaces …aaaa' }),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Rotate' })).toHaveLength(1);
  });

  it('refuses an expiry after the policy’s latest date, and shows the server’s message', async () => {
    const api = mockApiTokensApi({
      listAllTokens: jest.fn().mockResolvedValue({ items: [makeToken()] }),
      getLimits: jest.fn().mockResolvedValue(limits),
      rotateToken: jest
        .fn()
        .mockRejectedValue(
          new Error('This API token has been revoked and cannot be rotated'),
        ),
    });
    await renderPanel(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Rotate' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Rotate this token' });
    const expiry = await within(dialog).findByLabelText('Expiry date');
    fireEvent.change(expiry, {
      target: { value: DateTime.now().plus({ days: 40 }).toISODate() },
    });
    expect(
      within(dialog).getByRole('button', { name: 'Rotate' }),
    ).toBeDisabled();
    fireEvent.change(expiry, { target: { value: '' } });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Rotate' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'This API token has been revoked and cannot be rotated',
    );
  });

  it('shows the addresses and user agents that used a token last', async () => {
    const token = makeToken({
      recentClients: [
        {
          address: '10.1.2.3',
          userAgent: 'curl/8.5.0',
          lastUsedAt: DateTime.now().minus({ hours: 2 }).toISO()!,
        },
        {
          address: '10.9.9.9',
          userAgent: 'GitHub-Actions',
          lastUsedAt: DateTime.now().minus({ days: 3 }).toISO()!,
        },
      ],
    });
    const api = mockApiTokensApi({
      listAllTokens: jest.fn().mockResolvedValue({ items: [token] }),
    });
    await renderPanel(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Details' }),
    );
    const table = within(screen.getByRole('dialog')).getByRole('table', {
      name: 'Recent clients',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(row => within(row).getAllByRole('cell')[0].textContent),
    ).toEqual(['10.1.2.3', '10.9.9.9']);
    expect(rows[0]).toHaveTextContent('curl/8.5.0');
    expect(rows[0]).toHaveTextContent('2 hours ago');
  });
});
