import { ApiTokenScopePreview } from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { ApiTokensApi } from '../../api';
import { FakeApiTokensBackend } from '../../__testUtils__/fakeApiTokensBackend';
import {
  makeCreated,
  makeResponseError,
  mockApiTokensApi,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { CreateTokenDialog, expiryFromDate } from './CreateTokenDialog';

const noPermissions: ApiTokenScopePreview = { plugins: [], permissions: [] };

describe('CreateTokenDialog', () => {
  const maxExpiresAt = DateTime.now().plus({ days: 365 });
  const limits = {
    permanentTokenMaxExpiresAt: maxExpiresAt.toUTC().toISO()!,
    temporaryTokenLifetimeSeconds: 28800,
  };

  // Resolves once the limits are read: until then Create stays disabled.
  async function renderDialog(api: ApiTokensApi, onCreated = jest.fn()) {
    await renderWithApis(
      <CreateTokenDialog
        open
        userRef="user:default/jane"
        userName="Jane Doe"
        onClose={jest.fn()}
        onCreated={onCreated}
      />,
      { api },
    );
    return screen.findByLabelText('Expiry date');
  }

  it('creates a token with a name', async () => {
    const created = makeCreated();
    const api = mockApiTokensApi({
      getLimits: jest.fn().mockResolvedValue(limits),
      previewTokenScope: jest.fn().mockResolvedValue(noPermissions),
      createUserToken: jest.fn().mockResolvedValue(created),
    });
    const onCreated = jest.fn();
    await renderDialog(api, onCreated);

    expect(
      screen.getByRole('dialog', { name: 'Create a new token' }),
    ).toBeInTheDocument();
    const create = screen.getByRole('button', { name: 'Create' });
    expect(create).toBeDisabled();
    await userEvent.type(
      screen.getByRole('textbox', { name: /Token Name/ }),
      'ci-deploy',
    );
    await userEvent.click(create);
    expect(api.createUserToken).toHaveBeenCalledWith('user:default/jane', {
      name: 'ci-deploy',
    });
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
  });

  it('offers dates up to the maximum and refuses later ones', async () => {
    const api = mockApiTokensApi({
      getLimits: jest.fn().mockResolvedValue(limits),
      previewTokenScope: jest.fn().mockResolvedValue(noPermissions),
      createUserToken: jest.fn().mockResolvedValue(makeCreated()),
    });
    const dateInput = await renderDialog(api);
    const maxDate = maxExpiresAt.toISODate()!;
    expect(dateInput).toHaveAttribute('type', 'date');
    expect(dateInput).toHaveAttribute('max', maxDate);

    await userEvent.type(
      screen.getByRole('textbox', { name: /Token Name/ }),
      'ci-deploy',
    );
    fireEvent.change(dateInput, {
      target: { value: maxExpiresAt.plus({ days: 1 }).toISODate() },
    });
    expect(
      screen.getByText(/Permanent tokens expire on .* at the latest/),
    ).toBeInTheDocument();
    expect(dateInput).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Create' })).toBeDisabled();

    // The last allowed day means the backend's maximum itself.
    fireEvent.change(dateInput, { target: { value: maxDate } });
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(api.createUserToken).toHaveBeenCalledWith('user:default/jane', {
      name: 'ci-deploy',
      expiresAt: limits.permanentTokenMaxExpiresAt,
    });
  });

  it("shows the server's message when creating fails", async () => {
    const api = mockApiTokensApi({
      getLimits: jest.fn().mockResolvedValue(limits),
      previewTokenScope: jest.fn().mockResolvedValue(noPermissions),
      createUserToken: jest
        .fn()
        .mockRejectedValue(new Error('No user jane in the catalog')),
    });
    await renderDialog(api);
    await userEvent.type(
      screen.getByRole('textbox', { name: /Token Name/ }),
      'ci-deploy',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No user jane in the catalog',
    );
  });
});

describe('CreateTokenDialog scope', () => {
  const bob = 'user:default/bob';

  async function renderWithBackend(
    backend = new FakeApiTokensBackend(),
    onCreated = jest.fn(),
  ) {
    await renderWithApis(
      <CreateTokenDialog
        open
        userRef={bob}
        userName="Bob"
        onClose={jest.fn()}
        onCreated={onCreated}
      />,
      { api: backend.client('user:default/alice') },
    );
    await screen.findByRole('table', {
      name: 'What the token will be able to do',
    });
    return { backend, onCreated };
  }

  // The row that heads a plugin's permissions, e.g. "catalog · 1 can · …".
  function groupHeader(pluginId: string) {
    return screen
      .queryAllByRole('rowheader')
      .find(header => header.textContent?.startsWith(`${pluginId} · `));
  }

  function decisionOf(permission: string) {
    const row = screen.getByRole('row', { name: new RegExp(`^${permission}`) });
    return within(row).getAllByRole('cell')[1].textContent;
  }

  async function waitForPreviewOf(
    count: number,
    backend: FakeApiTokensBackend,
  ) {
    await waitFor(() => expect(backend.previewedScopes).toHaveLength(count));
    await waitFor(() =>
      expect(screen.queryByRole('progressbar')).not.toBeInTheDocument(),
    );
  }

  it("previews the owner's full power first, then the chosen preset, and creates the token with it", async () => {
    const { backend, onCreated } = await renderWithBackend();
    expect(
      screen.getByRole('radio', { name: 'Everything the user can do' }),
    ).toBeChecked();
    expect(backend.previewedScopes).toEqual([null]);
    expect(decisionOf('catalog.entity.read')).toBe('can');
    expect(decisionOf('catalog.entity.delete')).toBe('cannot');
    expect(decisionOf('scaffolder.task.read')).toBe('depends on the resource');
    expect(groupHeader('catalog')).toHaveTextContent(
      'catalog · 4 can · 1 cannot · 0 depend on the resource',
    );

    await userEvent.click(screen.getByRole('radio', { name: 'Catalog read' }));
    // The preset fills the fields, so they show what it is.
    expect(screen.getByRole('checkbox', { name: 'Read only' })).toBeChecked();
    expect(screen.getByRole('button', { name: /^Plugins/ })).toHaveTextContent(
      'catalog',
    );
    await waitForPreviewOf(2, backend);
    expect(backend.previewedScopes[1]).toEqual({
      plugins: ['catalog'],
      readOnly: true,
    });
    expect(decisionOf('catalog.entity.read')).toBe('can');
    expect(decisionOf('catalog.entity.create')).toBe('cannot');
    expect(decisionOf('scaffolder.task.read')).toBe('cannot');
    expect(groupHeader('catalog')).toHaveTextContent(
      'catalog · 1 can · 4 cannot · 0 depend on the resource',
    );

    await userEvent.type(
      screen.getByRole('textbox', { name: /Token Name/ }),
      'catalog reader',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(onCreated.mock.calls[0][0].token).toMatchObject({
      name: 'catalog reader',
      ownerRef: bob,
      scope: { plugins: ['catalog'], readOnly: true },
    });
  });

  it('takes permissions chosen with the keyboard as a custom scope', async () => {
    const { backend, onCreated } = await renderWithBackend();
    const permissions = screen.getByRole('button', { name: /^Permissions/ });
    act(() => permissions.focus());
    await userEvent.keyboard('{ArrowDown}');
    const listbox = await screen.findByRole('listbox');
    const read = within(listbox).getByRole('option', {
      name: 'catalog.entity.read',
    });
    act(() => read.focus());
    await userEvent.keyboard('{Enter}');
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('radio', { name: 'Custom' })).toBeChecked();

    await waitForPreviewOf(2, backend);
    expect(backend.previewedScopes[1]).toEqual({
      permissions: ['catalog.entity.read'],
    });
    expect(decisionOf('catalog.entity.read')).toBe('can');
    expect(decisionOf('catalog.entity.create')).toBe('cannot');

    // Back to a preset: no scope at all.
    await userEvent.click(
      screen.getByRole('radio', { name: 'Everything the user can do' }),
    );
    await waitForPreviewOf(3, backend);
    expect(backend.previewedScopes[2]).toBeNull();
    await userEvent.click(screen.getByRole('radio', { name: 'Read only' }));
    await userEvent.type(
      screen.getByRole('textbox', { name: /Token Name/ }),
      'reader{Enter}',
    );
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(onCreated.mock.calls[0][0].token.scope).toEqual({ readOnly: true });
  });

  it('filters the preview by permission or plugin', async () => {
    await renderWithBackend();
    const filter = screen.getByRole('searchbox', {
      name: 'Filter permissions',
    });
    await userEvent.type(filter, 'delete{Enter}');
    expect(screen.getAllByRole('row', { name: /\./ })).toHaveLength(1);
    expect(decisionOf('catalog.entity.delete')).toBe('cannot');
    // Enter in the filter does not create the token.
    expect(screen.getByRole('dialog')).toBeInTheDocument();

    await userEvent.clear(filter);
    await userEvent.type(filter, 'scaffolder');
    expect(groupHeader('scaffolder')).toBeVisible();
    expect(groupHeader('catalog')).toBeUndefined();

    await userEvent.clear(filter);
    await userEvent.type(filter, 'zzz');
    expect(screen.getByText('No permissions match "zzz".')).toBeInTheDocument();
  });

  it('shows progress while the preview loads', async () => {
    const backend = new FakeApiTokensBackend();
    let release = () => {};
    backend.previewGate = scope =>
      scope
        ? new Promise(resolve => {
            release = resolve;
          })
        : Promise.resolve();
    await renderWithBackend(backend);
    await userEvent.click(screen.getByRole('radio', { name: 'Read only' }));
    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(backend.previewedScopes).toHaveLength(2));
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
    release();
    await waitFor(() =>
      expect(screen.queryByRole('progressbar')).not.toBeInTheDocument(),
    );
    expect(decisionOf('catalog.entity.create')).toBe('cannot');
  });

  it("shows the backend's refusal with a retry, and the empty state", async () => {
    const api = mockApiTokensApi({
      getLimits: jest.fn().mockResolvedValue({
        permanentTokenMaxExpiresAt: DateTime.now().plus({ days: 365 }).toISO()!,
        temporaryTokenLifetimeSeconds: 28800,
      }),
      previewTokenScope: jest
        .fn()
        .mockRejectedValueOnce(
          await makeResponseError(
            400,
            'InputError',
            'Unknown in scope: old-plugin',
          ),
        )
        .mockResolvedValue(noPermissions),
    });
    await renderWithApis(
      <CreateTokenDialog
        open
        userRef={bob}
        userName="Bob"
        onClose={jest.fn()}
        onCreated={jest.fn()}
      />,
      { api },
    );
    expect(
      await screen.findByText(
        /Could not preview the scope: Unknown in scope: old-plugin/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByText('The installed plugins publish no permissions.'),
    ).toBeInTheDocument();
    expect(api.previewTokenScope).toHaveBeenCalledTimes(2);
    expect(api.previewTokenScope).toHaveBeenLastCalledWith(bob, null);
  });
});

describe('expiryFromDate', () => {
  it('ends the chosen day in local time', () => {
    expect(expiryFromDate('2026-06-01')).toBe(
      DateTime.fromISO('2026-06-01').endOf('day').toUTC().toISO(),
    );
  });
});
