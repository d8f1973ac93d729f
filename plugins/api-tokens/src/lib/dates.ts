import { DateTime } from 'luxon';
import { ApiTokensTranslation } from '../translation';

/** The exact local date and time, e.g. "Mar 5, 2026, 3:45 PM". */
export function formatDateTime(iso: string): string {
  return DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED);
}

/** The local date, e.g. "Mar 5, 2026". */
export function formatDate(iso: string): string {
  return DateTime.fromISO(iso).toLocaleString(DateTime.DATE_MED);
}

/** How far a time is from now, e.g. "in 7 hours" or "2 days ago". */
export function formatRelative(iso: string, now: DateTime = DateTime.now()) {
  return DateTime.fromISO(iso).toRelative({ base: now }) ?? '';
}

/**
 * The expiry as people say it: "expires in 7 hours" or "expired 2 days ago".
 */
export function formatExpiry(
  iso: string,
  t: ApiTokensTranslation,
  now: DateTime = DateTime.now(),
): string {
  const expiresAt = DateTime.fromISO(iso);
  const relative = expiresAt.toRelative({ base: now }) ?? '';
  return expiresAt > now
    ? t('expiry.future', { relative })
    : t('expiry.past', { relative });
}

/** A `type="date"` input value (yyyy-MM-dd) for an instant, in local time. */
export function toDateInputValue(iso: string): string {
  return DateTime.fromISO(iso).toISODate() ?? '';
}
