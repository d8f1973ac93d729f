import { screen, within } from '@testing-library/react';
import { makeFault } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { ExpiryCheckResultPanel } from './ExpiryCheckResultPanel';

describe('ExpiryCheckResultPanel', () => {
  it('reports faults, emails and failures', async () => {
    await renderWithApis(
      <ExpiryCheckResultPanel
        result={{
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
  });

  it('says when nothing happened', async () => {
    await renderWithApis(
      <ExpiryCheckResultPanel
        result={{ raised: [], resolved: 0, emailedTo: [], emailFailures: [] }}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'Raised 0 new faults, resolved 0 faults.',
    );
    expect(screen.getByText('No email was sent.')).toBeInTheDocument();
  });
});
