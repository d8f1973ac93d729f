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
