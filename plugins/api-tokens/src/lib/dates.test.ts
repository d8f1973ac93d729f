import { mockApis } from '@backstage/test-utils';
import { DateTime } from 'luxon';
import { apiTokensTranslationRef } from '../translation';
import { formatExpiry, formatRelative } from './dates';

describe('dates', () => {
  const now = DateTime.fromISO('2026-03-05T08:00:00.000Z');
  const { t } = mockApis.translation().getTranslation(apiTokensTranslationRef);

  it('says when a token expires', () => {
    expect(formatExpiry('2026-03-05T15:00:00.000Z', t, now)).toBe(
      'expires in 7 hours',
    );
    expect(formatExpiry('2026-03-03T08:00:00.000Z', t, now)).toBe(
      'expired 2 days ago',
    );
  });

  it('formats relative times', () => {
    expect(formatRelative('2026-03-17T08:00:00.000Z', now)).toBe('in 12 days');
  });
});
