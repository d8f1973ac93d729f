import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { ApiTokensApi } from '../../api';
import { makeCreated, mockApiTokensApi } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { CreateTokenDialog, expiryFromDate } from './CreateTokenDialog';

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

describe('expiryFromDate', () => {
  it('ends the chosen day in local time', () => {
    expect(expiryFromDate('2026-06-01')).toBe(
      DateTime.fromISO('2026-06-01').endOf('day').toUTC().toISO(),
    );
  });
});
