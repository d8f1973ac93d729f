import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { PagedData } from '../../hooks';
import { makeToken } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { TokenTable } from './TokenTable';

function loaded(
  tokens: ApiToken[],
  more: Partial<PagedData<ApiToken>> = {},
): PagedData<ApiToken> {
  return {
    value: tokens,
    loading: false,
    retry: jest.fn(),
    hasMore: false,
    loadMore: jest.fn(),
    ...more,
  };
}

describe('TokenTable', () => {
  const active = makeToken({ id: 'a', name: 'ci-deploy', hint: 'wxyz' });
  const revoked = makeToken({
    id: 'r',
    name: 'old-script',
    kind: 'temporary',
    state: 'revoked',
    revokedAt: new Date().toISOString(),
  });

  it('lists tokens with kind, state and expiry, and revokes after confirming', async () => {
    const onRevoke = jest.fn().mockResolvedValue(undefined);
    await renderWithApis(
      <TokenTable
        title="Your API tokens"
        tokens={loaded([active, revoked])}
        onRevoke={onRevoke}
        emptyText="No tokens"
      />,
    );
    expect(screen.getByText('ci-deploy')).toBeInTheDocument();
    expect(screen.getByText('Permanent')).toBeInTheDocument();
    expect(screen.getByText('Temporary')).toBeInTheDocument();
    expect(screen.getByText('Revoked')).toBeInTheDocument();
    expect(screen.getAllByText(/^expires in 9 months$/)).toHaveLength(2);

    // Only the active token can be revoked.
    const revoke = screen.getByRole('button', { name: 'Revoke' });
    expect(revoke).toHaveAccessibleDescription('ci-deploy');
    await userEvent.click(revoke);

    const dialog = screen.getByRole('dialog', { name: 'Revoke this token?' });
    expect(dialog).toHaveTextContent('ci-deploy');
    expect(onRevoke).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke' }),
    );
    expect(onRevoke).toHaveBeenCalledWith(active);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('does not revoke when cancelled', async () => {
    const onRevoke = jest.fn();
    await renderWithApis(
      <TokenTable
        title="Tokens"
        tokens={loaded([active])}
        onRevoke={onRevoke}
        emptyText="No tokens"
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onRevoke).not.toHaveBeenCalled();
  });

  it('shows each scope in a few words', async () => {
    await renderWithApis(
      <TokenTable
        title="Tokens"
        tokens={loaded([
          active,
          makeToken({
            id: 's',
            name: 'reader',
            scope: {
              plugins: ['catalog', 'search'],
              permissions: ['catalog.entity.read', 'search.query'],
              readOnly: true,
            },
          }),
          makeToken({
            id: 'p',
            name: 'deleter',
            scope: { permissions: ['catalog.entity.delete'] },
          }),
        ])}
        onRevoke={jest.fn()}
        emptyText="No tokens"
      />,
    );
    expect(screen.getByRole('columnheader', { name: 'Scope' })).toBeVisible();
    const scopeOf = (name: string) =>
      within(screen.getByRole('row', { name: new RegExp(`^${name}`) }))
        .getAllByRole('cell')
        .map(cell => cell.textContent);
    expect(scopeOf('ci-deploy')).toContain('Full access');
    expect(scopeOf('reader')).toContain(
      'catalog, search · read only · 2 permissions',
    );
    expect(scopeOf('deleter')).toContain('1 permission');
  });

  it('shows the empty text and loads more on request', async () => {
    const onLoadMore = jest.fn();
    await renderWithApis(
      <TokenTable
        title="Tokens"
        tokens={loaded([], { hasMore: true, loadMore: onLoadMore })}
        onRevoke={jest.fn()}
        emptyText="This user has no API tokens yet."
      />,
    );
    expect(
      screen.getByText('This user has no API tokens yet.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Load more tokens' }),
    );
    expect(onLoadMore).toHaveBeenCalled();
  });
});
