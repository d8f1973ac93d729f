/**
 * Milliseconds in an hour and in a day: token lifetimes, notification
 * thresholds and the days left before an expiry are counted in these.
 *
 * @public
 */
export const HOUR_MS = 60 * 60 * 1000;

/** @public */
export const DAY_MS = 24 * HOUR_MS;

/**
 * Whole days until `expiresAt`, rounded up ("expires in 1 day" for 8
 * hours), never below zero.
 *
 * @public
 */
export function daysUntil(expiresAt: Date, now: Date): number {
  return Math.max(0, Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS));
}

/**
 * How long until `expiresAt`, as the expiry email and the owner notice say
 * it: whole hours, rounded up, under a day ("in 8 hours", not "in 1 day");
 * whole days, rounded up, from a day on ("in 3 days").
 *
 * @public
 */
export function timeUntilExpiry(expiresAt: Date, now: Date): string {
  const left = expiresAt.getTime() - now.getTime();
  if (left < DAY_MS) {
    const hours = Math.max(1, Math.ceil(left / HOUR_MS));
    return hours === 1 ? 'in 1 hour' : `in ${hours} hours`;
  }
  const days = daysUntil(expiresAt, now);
  return days === 1 ? 'in 1 day' : `in ${days} days`;
}
