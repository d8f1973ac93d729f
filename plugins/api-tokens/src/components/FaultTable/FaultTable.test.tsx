import { screen } from '@testing-library/react';
import { makeFault } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { FaultTable } from './FaultTable';

describe('FaultTable', () => {
  it('shows open and resolved faults with their owner', async () => {
    await renderWithApis(
      <FaultTable
        showOwner
        loading={false}
        emptyText="No faults"
        faults={[
          makeFault({ id: 'f1', tokenName: 'ci-deploy' }),
          makeFault({
            id: 'f2',
            tokenName: 'nightly',
            ownerRef: 'user:default/bob',
            status: 'resolved',
            resolution: 'revoked',
            resolvedAt: new Date().toISOString(),
          }),
        ]}
      />,
    );
    expect(screen.getByText('ci-deploy')).toBeInTheDocument();
    // The owner by name, linking to their entity page.
    expect(screen.getByRole('link', { name: /bob/ })).toHaveAttribute(
      'href',
      expect.stringContaining('/catalog/default/user/bob'),
    );
    expect(screen.getByText('Open')).toBeInTheDocument();
    expect(screen.getByText('Resolved: revoked')).toBeInTheDocument();
    expect(screen.getAllByText('expires in 12 days')).toHaveLength(2);
    expect(screen.getAllByText('15 days before expiry')).toHaveLength(2);
  });

  it('says where a leaked token was found', async () => {
    await renderWithApis(
      <FaultTable
        showOwner
        loading={false}
        emptyText="No faults"
        faults={[
          makeFault({
            kind: 'leaked',
            tokenName: 'ci-deploy',
            thresholdDays: 0,
            leakUrl: 'https://github.com/octo/repo/blob/main/ci.yml',
          }),
        ]}
      />,
    );
    expect(
      screen.getByText(
        'ci-deploy: token leaked at https://github.com/octo/repo/blob/main/ci.yml',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Leaked: revoked at once')).toBeInTheDocument();
  });

  it('says which expiry email could not be delivered, and to whom', async () => {
    await renderWithApis(
      <FaultTable
        showOwner
        loading={false}
        emptyText="No faults"
        faults={[
          makeFault({
            id: 'f3',
            kind: 'email-undeliverable',
            emailAddress: 'ops@example.com',
            tokenName: 'ci-deploy',
          }),
        ]}
      />,
    );
    expect(
      screen.getByText(
        'Could not deliver the expiry email for ci-deploy to ops@example.com',
      ),
    ).toBeInTheDocument();
  });

  it('says when there are none', async () => {
    await renderWithApis(
      <FaultTable
        faults={[]}
        loading={false}
        emptyText="Nothing expires soon"
      />,
    );
    expect(screen.getByText('Nothing expires soon')).toBeInTheDocument();
  });
});
