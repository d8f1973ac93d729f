import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiTokensApi } from '../../api';
import {
  makeFault,
  makeResponseError,
  mockApiTokensApi,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { AdminFaultsContent, toOwnerRef } from './AdminFaultsContent';

// Denied permissions are tested in ../permissions.test.tsx.
function renderContent(api: ApiTokensApi) {
  return renderWithApis(<AdminFaultsContent />, { api });
}

describe('AdminFaultsContent', () => {
  it('lists faults and filters them by status and owner', async () => {
    const api = mockApiTokensApi({
      listFaults: jest.fn().mockResolvedValue({
        items: [
          makeFault({ id: 'f1', tokenName: 'ci-deploy' }),
          makeFault({
            id: 'f2',
            tokenName: 'nightly',
            status: 'resolved',
            resolution: 'expired',
          }),
        ],
      }),
    });
    await renderContent(api);
    expect(await screen.findByText('ci-deploy')).toBeInTheDocument();
    expect(screen.getByText('Resolved: expired')).toBeInTheDocument();
    expect(api.listFaults).toHaveBeenLastCalledWith({
      status: undefined,
      ownerRef: undefined,
      limit: 50,
      cursor: undefined,
    });

    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Open');
    await waitFor(() =>
      expect(api.listFaults).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: 'open' }),
      ),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Owner' }),
      'jane',
    );
    await waitFor(() =>
      expect(api.listFaults).toHaveBeenLastCalledWith(
        expect.objectContaining({
          status: 'open',
          ownerRef: 'user:default/jane',
        }),
      ),
    );
  });

  it('runs the expiry check and shows what it did', async () => {
    const api = mockApiTokensApi({
      listFaults: jest.fn().mockResolvedValue({ items: [] }),
      runExpiryCheck: jest.fn().mockResolvedValue({
        raisedCount: 1,
        raised: [makeFault({ tokenName: 'ci-deploy' })],
        resolved: 0,
        emailedTo: ['ops@example.com'],
        emailFailures: [],
      }),
    });
    await renderContent(api);
    await screen.findByText(
      'No faults: no token has come close to expiring yet.',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Run expiry check now' }),
    );
    expect(await screen.findByText('Expiry check finished')).toBeVisible();
    expect(
      screen.getByText('Raised 1 new fault, resolved 0 faults.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.listFaults).toHaveBeenCalledTimes(2));
  });

  it("shows the server's message when the check fails", async () => {
    const api = mockApiTokensApi({
      listFaults: jest.fn().mockResolvedValue({ items: [] }),
      runExpiryCheck: jest
        .fn()
        .mockRejectedValue(
          await makeResponseError(
            503,
            'ServiceUnavailableError',
            'The SMTP server is not configured',
          ),
        ),
    });
    await renderContent(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Run expiry check now' }),
    );
    expect(
      await screen.findByText(
        /The expiry check failed: The SMTP server is not configured/,
      ),
    ).toBeInTheDocument();
  });
});

describe('toOwnerRef', () => {
  it('reads a name as a user of the default namespace', () => {
    expect(toOwnerRef(' jane ')).toBe('user:default/jane');
    expect(toOwnerRef('user:ops/bob')).toBe('user:ops/bob');
    expect(toOwnerRef('')).toBeUndefined();
  });
});

describe('AdminFaultsContent acknowledge', () => {
  it('acknowledges an open fault and shows who did, with the owner linked', async () => {
    const open = makeFault({ id: 'f1', tokenName: 'ci-deploy' });
    const api = mockApiTokensApi({
      listFaults: jest
        .fn()
        .mockResolvedValueOnce({ items: [open] })
        .mockResolvedValue({
          items: [
            {
              ...open,
              acknowledgedAt: new Date().toISOString(),
              acknowledgedBy: 'user:default/alice',
            },
          ],
        }),
      acknowledgeFault: jest.fn().mockResolvedValue(open),
    });
    await renderContent(api);
    expect(await screen.findByText('ci-deploy')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /jane/ }).getAttribute('href'),
    ).toContain('/catalog/default/user/jane');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge' }),
    );
    expect(api.acknowledgeFault).toHaveBeenCalledWith('f1');
    expect(
      await screen.findByText(/Acknowledged by user:default\/alice/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Acknowledge' }),
    ).not.toBeInTheDocument();
  });
});
