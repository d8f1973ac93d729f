import { screen, within } from '@testing-library/react';
import { makeFault } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { ExpiryCheckResultPanel } from './ExpiryCheckResultPanel';

describe('ExpiryCheckResultPanel', () => {
  it('reports faults, emails and failures', async () => {
    await renderWithApis(
      <ExpiryCheckResultPanel
        result={{
          raisedCount: 1,
          raised: [makeFault({ tokenName: 'ci-deploy' })],
          resolved: 2,
          emailedTo: ['ops@example.com'],
          emailFailures: [
            { address: 'sec@example.com', reason: '550 mailbox unavailable' },
          ],
        }}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'Raised 1 new fault, resolved 2 faults.',
    );
    expect(
      within(screen.getByRole('list', { name: 'Faults raised' })).getByText(
        'ci-deploy (user:default/jane)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Emailed ops@example.com.')).toBeInTheDocument();
    expect(screen.getByText('550 mailbox unavailable')).toBeInTheDocument();
    expect(screen.queryByText(/more fault/)).not.toBeInTheDocument();
  });

  it('counts every fault raised and lists the first ones, saying how many more there are', async () => {
    await renderWithApis(
      <ExpiryCheckResultPanel
        result={{
          raisedCount: 12_345,
          raised: Array.from({ length: 100 }, (_, i) =>
            makeFault({ id: `fault-${i}`, tokenName: `token ${i}` }),
          ),
          resolved: 0,
          emailedTo: [],
          emailFailures: [],
        }}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'Raised 12345 new faults, resolved 0 faults.',
    );
    expect(
      within(screen.getByRole('list', { name: 'Faults raised' })).getAllByRole(
        'listitem',
      ),
    ).toHaveLength(100);
    expect(
      screen.getByText('And 12245 more faults, in the list of faults.'),
    ).toBeInTheDocument();
  });

  it('says when nothing happened', async () => {
    await renderWithApis(
      <ExpiryCheckResultPanel
        result={{
          raisedCount: 0,
          raised: [],
          resolved: 0,
          emailedTo: [],
          emailFailures: [],
        }}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'Raised 0 new faults, resolved 0 faults.',
    );
    expect(screen.getByText('No email was sent.')).toBeInTheDocument();
  });
});
