import { DAY_MS, daysUntil, HOUR_MS, timeUntilExpiry } from './time';

describe('daysUntil', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const after = (ms: number) => new Date(now.getTime() + ms);

  it('rounds part of a day up', () => {
    expect(daysUntil(after(8 * HOUR_MS), now)).toBe(1);
    expect(daysUntil(after(DAY_MS + 1), now)).toBe(2);
  });

  it('counts whole days exactly', () => {
    expect(daysUntil(after(7 * DAY_MS), now)).toBe(7);
  });

  it('is zero once the time has passed', () => {
    expect(daysUntil(now, now)).toBe(0);
    expect(daysUntil(after(-3 * DAY_MS), now)).toBe(0);
  });
});

describe('timeUntilExpiry', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const after = (ms: number) => new Date(now.getTime() + ms);

  it('says hours, rounded up, under a day', () => {
    expect(timeUntilExpiry(after(8 * HOUR_MS), now)).toBe('in 8 hours');
    expect(timeUntilExpiry(after(7.5 * HOUR_MS), now)).toBe('in 8 hours');
    expect(timeUntilExpiry(after(20 * 60 * 1000), now)).toBe('in 1 hour');
    expect(timeUntilExpiry(after(DAY_MS - 1), now)).toBe('in 24 hours');
  });

  it('says days, rounded up, from a day on', () => {
    expect(timeUntilExpiry(after(DAY_MS), now)).toBe('in 1 day');
    expect(timeUntilExpiry(after(DAY_MS + 1), now)).toBe('in 2 days');
    expect(timeUntilExpiry(after(11 * DAY_MS), now)).toBe('in 11 days');
  });
});
