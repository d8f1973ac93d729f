import { screen } from '@testing-library/react';
import { DateTime } from 'luxon';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { DateTimeText } from './DateTimeText';

describe('DateTimeText', () => {
  it('shows the local time and when it expires', async () => {
    const expiresAt = DateTime.now().plus({ hours: 7, minutes: 30 });
    await renderWithApis(
      <DateTimeText value={expiresAt.toISO()!} variant="expiry" />,
    );
    expect(
      screen.getByText(expiresAt.toLocaleString(DateTime.DATETIME_MED)),
    ).toBeInTheDocument();
    expect(screen.getByText(/^expires in 7 hours$/)).toBeInTheDocument();
  });

  it('says how long ago something happened', async () => {
    const usedAt = DateTime.now().minus({ days: 3, hours: 1 });
    await renderWithApis(<DateTimeText value={usedAt.toISO()!} />);
    expect(screen.getByText('3 days ago')).toBeInTheDocument();
  });

  it('says "Never" without a value, or what it is told', async () => {
    await renderWithApis(
      <>
        <DateTimeText value={null} />
        <DateTimeText value={null} emptyText="Never used" />
      </>,
    );
    expect(screen.getByText('Never')).toBeInTheDocument();
    expect(screen.getByText('Never used')).toBeInTheDocument();
  });
});
