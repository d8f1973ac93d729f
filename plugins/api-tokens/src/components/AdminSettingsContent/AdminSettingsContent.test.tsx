import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiTokenSetting } from '@nholuongut/backstage-plugin-api-tokens-common';
import { ApiTokensApi } from '../../api';
import { mockApiTokensApi } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { AdminSettingsContent } from './AdminSettingsContent';

const days: ApiTokenSetting = {
  type: 'app-config',
  key: 'EnableUserTokenNotification',
  value: '15',
  updatedAt: new Date().toISOString(),
  updatedBy: 'user:default/alice',
};

// Denied permissions are tested in ../permissions.test.tsx.
function renderContent(api: ApiTokensApi) {
  return renderWithApis(<AdminSettingsContent />, { api });
}

describe('AdminSettingsContent', () => {
  it('lists the settings on the Config tab and adds one', async () => {
    const emails: ApiTokenSetting = {
      ...days,
      key: 'UserTokenExpirationNotificationEmails',
      value: 'ops@example.com',
    };
    const api = mockApiTokensApi({
      listSettings: jest
        .fn()
        .mockResolvedValueOnce({ items: [days] })
        .mockResolvedValue({ items: [days, emails] }),
      updateSetting: jest.fn().mockResolvedValue(emails),
    });
    await renderContent(api);

    // The page shows once the permission check has answered.
    expect(await screen.findByRole('tab', { name: 'Config' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(
      await screen.findByText('Enable User Token Notification'),
    ).toBeInTheDocument();
    expect(screen.getByText('15')).toBeInTheDocument();

    await userEvent.click(await screen.findByRole('button', { name: 'Add' }));
    const dialog = screen.getByRole('dialog', { name: 'Add Config' });
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Key'),
      'User Token Expiration Notification Emails',
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Value/ }),
      'ops@example.com',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit' }),
    );
    expect(await screen.findByText('ops@example.com')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('says Config once and wraps keys and addresses only between words', async () => {
    const emails: ApiTokenSetting = {
      ...days,
      key: 'UserTokenExpirationNotificationEmails',
      value: 'ops@example.com;security-team@example.com',
    };
    const api = mockApiTokensApi({
      listSettings: jest.fn().mockResolvedValue({ items: [days, emails] }),
    });
    await renderContent(api);
    const value = (await screen.findByText('ops@example.com;')).parentElement!;
    // The tab says it; the card and the column headers do not repeat it
    // (each row's type, "App Config", is data).
    const text = document.body.textContent ?? '';
    expect(text.match(/(?<!App )Config/g)).toEqual(['Config']);
    expect(screen.getByText('Expiry notifications')).toBeInTheDocument();

    // A line may end after an address's semicolon or between a key's words
    // (a <wbr>), nowhere else: each part is one unbreakable span.
    const parts = (element: Element) =>
      [...element.childNodes].map(node =>
        node.nodeName === 'WBR' ? '|' : node.textContent,
      );
    expect(parts(value)).toEqual([
      'ops@example.com;',
      '|',
      'security-team@example.com',
    ]);
    const key = screen.getByText('Expiration').parentElement!;
    expect(parts(key)).toEqual(
      'User|Token|Expiration|Notification|Emails'
        .split('|')
        .flatMap((word, i) => (i === 0 ? [word] : ['|', word])),
    );
    expect(screen.getByText('security-team@example.com')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
  });

  it('deletes a setting after confirmation', async () => {
    const api = mockApiTokensApi({
      listSettings: jest
        .fn()
        .mockResolvedValueOnce({ items: [days] })
        .mockResolvedValue({ items: [] }),
      deleteSetting: jest.fn().mockResolvedValue(undefined),
    });
    await renderContent(api);
    const remove = await screen.findByRole('button', { name: 'Delete' });
    expect(remove).toHaveAccessibleDescription(
      'Enable User Token Notification',
    );
    await userEvent.click(remove);
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Delete',
      }),
    );
    expect(api.deleteSetting).toHaveBeenCalledWith(
      'EnableUserTokenNotification',
    );
    expect(
      await screen.findByText(
        'No settings yet: the defaults from app-config apply.',
      ),
    ).toBeInTheDocument();
  });

  it("shows the server's message when settings cannot be read", async () => {
    const api = mockApiTokensApi({
      listSettings: jest
        .fn()
        .mockRejectedValue(new Error('The settings store is unavailable')),
    });
    await renderContent(api);
    expect(
      await screen.findByText(
        /Could not load settings: The settings store is unavailable/,
      ),
    ).toBeInTheDocument();
  });
});
