import {
  DAY_MS,
  HOUR_MS,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { StoredTokenUsage } from '../database/ApiTokensStore';

/** A token used within this long is "still used". */
export const STILL_USED_WITHIN = 7 * DAY_MS;
const MINUTE_MS = 60_000;

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** How long ago `then` was, in the largest whole unit: "2 hours ago". */
function ago(then: Date, now: Date): string {
  const ms = Math.max(now.getTime() - then.getTime(), 0);
  if (ms < MINUTE_MS) {
    return 'less than a minute ago';
  }
  if (ms < HOUR_MS) {
    return `${count(Math.floor(ms / MINUTE_MS), 'minute')} ago`;
  }
  if (ms < DAY_MS) {
    return `${count(Math.floor(ms / HOUR_MS), 'hour')} ago`;
  }
  return `${count(Math.floor(ms / DAY_MS), 'day')} ago`;
}

/**
 * Whether a token last used at `lastUsedAt` is still used: the usage line
 * then names its most recent client.
 */
export function isStillUsed(lastUsedAt: Date | undefined, now: Date): boolean {
  return (
    lastUsedAt !== undefined &&
    now.getTime() - lastUsedAt.getTime() < STILL_USED_WITHIN
  );
}

/**
 * Who still uses a token, for the expiry email and the owner's notice:
 * "still used 2 hours ago from 10.1.2.3 (curl/8.5.0)", "not used for 40
 * days" or "never used". This tells an admin which pipeline breaks next.
 */
export function describeUsage(
  usage: StoredTokenUsage | undefined,
  now: Date,
): string {
  const lastUsedAt = usage?.lastUsedAt;
  if (!lastUsedAt) {
    return 'never used';
  }
  if (!isStillUsed(lastUsedAt, now)) {
    return `not used for ${count(
      Math.floor((now.getTime() - lastUsedAt.getTime()) / DAY_MS),
      'day',
    )}`;
  }
  const [client] = usage.recentClients;
  if (!client) {
    return `still used ${ago(lastUsedAt, now)}`;
  }
  const agent = client.userAgent ? ` (${client.userAgent})` : '';
  return `still used ${ago(client.lastUsedAt, now)} from ${
    client.address
  }${agent}`;
}
