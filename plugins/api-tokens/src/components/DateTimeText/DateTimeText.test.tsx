import { render, screen } from '@testing-library/react';
import { DateTime } from 'luxon';
import { DateTimeText } from './DateTimeText';

describe('DateTimeText', () => {
  it('shows the local time and when it expires', () => {
    const expiresAt = DateTime.now().plus({ hours: 7, minutes: 30 });
    render(<DateTimeText value={expiresAt.toISO()!} variant="expiry" />);
    expect(
      screen.getByText(expiresAt.toLocaleString(DateTime.DATETIME_MED)),
    ).toBeInTheDocument();
    expect(screen.getByText(/^expires in 7 hours$/)).toBeInTheDocument();
  });

  it('says how long ago something happened', () => {
    const usedAt = DateTime.now().minus({ days: 3, hours: 1 });
    render(<DateTimeText value={usedAt.toISO()!} />);
    expect(screen.getByText('3 days ago')).toBeInTheDocument();
  });

  it('shows the empty text without a value', () => {
    render(<DateTimeText value={null} emptyText="Never used" />);
    expect(screen.getByText('Never used')).toBeInTheDocument();
  });
});
