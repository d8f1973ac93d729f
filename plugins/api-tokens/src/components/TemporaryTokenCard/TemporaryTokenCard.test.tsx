import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { makeCreated } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { TemporaryTokenCard } from './TemporaryTokenCard';

describe('TemporaryTokenCard', () => {
  const expiresAt = DateTime.now().plus({ hours: 7, minutes: 40 });
  const created = makeCreated(
    { kind: 'temporary', expiresAt: expiresAt.toISO()!, hint: 'cdef' },
    'bsat_0123456789abcdefghijABCDEFGHIJ01abcdef',
  );

  it('shows the masked token, a copy button and the expiry', async () => {
    await renderWithApis(
      <TemporaryTokenCard
        token={{ loading: false, value: created, retry: jest.fn() }}
      />,
    );
    expect(screen.getByText('Temporary API Token')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy temporary API token' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('temporary-api-token')).toHaveTextContent(
      'bsat_••••••••••••cdef',
    );
    expect(
      screen.getByText(expiresAt.toLocaleString(DateTime.DATETIME_MED)),
    ).toBeInTheDocument();
    expect(screen.getByText(/\(expires in 7 hours\)/)).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show temporary API token' }),
    );
    expect(screen.getByTestId('temporary-api-token')).toHaveTextContent(
      created.secret,
    );
  });

  it("shows the server's message and retries", async () => {
    const retry = jest.fn();
    await renderWithApis(
      <TemporaryTokenCard
        token={{
          loading: false,
          error: new Error('Token routes refuse API token credentials'),
          retry,
        }}
      />,
    );
    expect(
      screen.getByText(
        /Could not get your temporary API token: Token routes refuse API token credentials/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalled();
  });
});
