import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiTokenSetting } from '@nholuongut/backstage-plugin-api-tokens-common';
import { ApiTokensApi } from '../../api';
import {
  makeResponseError,
  mockApiTokensApi,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { SettingDialog } from './SettingDialog';

const saved: ApiTokenSetting = {
  type: 'app-config',
  key: 'EnableUserTokenNotification',
  value: '15',
  updatedAt: new Date().toISOString(),
  updatedBy: 'user:default/alice',
};

function renderDialog(
  api: ApiTokensApi,
  props: { setting?: ApiTokenSetting; onSaved?: jest.Mock } = {},
) {
  return renderWithApis(
    <SettingDialog
      open
      setting={props.setting}
      onClose={jest.fn()}
      onSaved={props.onSaved ?? jest.fn()}
    />,
    { api },
  );
}

describe('SettingDialog', () => {
  it('adds a setting with the chosen key', async () => {
    const api = mockApiTokensApi({
      updateSetting: jest.fn().mockResolvedValue({
        ...saved,
        key: 'UserTokenExpirationNotificationEmails',
        value: 'ops@example.com',
      }),
    });
    const onSaved = jest.fn();
    await renderDialog(api, { onSaved });

    expect(screen.getByRole('dialog', { name: 'Add Config' })).toBeVisible();
    const type = screen.getByLabelText('Config Type');
    expect(type).toHaveValue('app-config');
    expect(
      screen.getByRole('option', { name: 'App Config' }),
    ).toBeInTheDocument();
    const key = screen.getByLabelText('Key');
    expect(
      screen.getByRole('option', { name: 'Enable User Token Notification' }),
    ).toBeInTheDocument();
    await userEvent.selectOptions(
      key,
      'User Token Expiration Notification Emails',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Value/ }),
      'ops@example.com',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(api.updateSetting).toHaveBeenCalledWith(
      'UserTokenExpirationNotificationEmails',
      'ops@example.com',
    );
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it("shows the server's validation message on the Value field", async () => {
    const message =
      "EnableUserTokenNotification must be at most 90 days on this portal; '120' is not";
    const api = mockApiTokensApi({
      updateSetting: jest
        .fn()
        .mockRejectedValue(await makeResponseError(400, 'InputError', message)),
    });
    await renderDialog(api);
    const value = screen.getByRole('textbox', { name: /Value/ });
    await userEvent.type(value, '120');
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));

    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(value).toHaveAttribute('aria-invalid', 'true');
    expect(value).toHaveAccessibleDescription(message);
  });

  it('checks the value before sending it', async () => {
    const api = mockApiTokensApi();
    await renderDialog(api);
    const value = screen.getByRole('textbox', { name: /Value/ });
    await userEvent.type(value, 'soon');
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(value).toHaveAccessibleDescription(
      /must be whole days from 1 to 365/,
    );
    expect(api.updateSetting).not.toHaveBeenCalled();
  });

  it("shows other failures with the server's message", async () => {
    const api = mockApiTokensApi({
      updateSetting: jest
        .fn()
        .mockRejectedValue(
          await makeResponseError(403, 'NotAllowedError', 'Only admins may'),
        ),
    });
    await renderDialog(api);
    await userEvent.type(screen.getByRole('textbox', { name: /Value/ }), '15');
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Only admins may',
    );
  });

  it('edits the value of an existing setting', async () => {
    const api = mockApiTokensApi({
      updateSetting: jest.fn().mockResolvedValue({ ...saved, value: '30' }),
    });
    await renderDialog(api, { setting: saved });
    expect(screen.getByRole('dialog', { name: 'Edit Config' })).toBeVisible();
    expect(screen.getByLabelText('Key')).toBeDisabled();
    const value = screen.getByRole('textbox', { name: /Value/ });
    expect(value).toHaveValue('15');
    await userEvent.clear(value);
    await userEvent.type(value, '30');
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(api.updateSetting).toHaveBeenCalledWith(
      'EnableUserTokenNotification',
      '30',
    );
  });
});
