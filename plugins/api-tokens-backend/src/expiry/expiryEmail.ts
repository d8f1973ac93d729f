import { DAY_MS, daysUntil, HOUR_MS } from '@internal/plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { StoredFault } from '../database/FaultLedger';

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );
}

/**
 * How long is left: whole days, rounded up, from a day on; under a day,
 * hours ("in 8 hours", not "in 1 day").
 */
function timeLeft(expiresAt: Date, now: Date): string {
  const left = expiresAt.getTime() - now.getTime();
  if (left < DAY_MS) {
    const hours = Math.max(1, Math.ceil(left / HOUR_MS));
    return hours === 1 ? 'in 1 hour' : `in ${hours} hours`;
  }
  const days = daysUntil(expiresAt, now);
  return days === 1 ? 'in 1 day' : `in ${days} days`;
}

function describe(fault: StoredFault, now: Date) {
  return {
    name: fault.tokenName,
    owner: fault.ownerRef,
    expires: DateTime.fromJSDate(fault.tokenExpiresAt, {
      zone: 'utc',
    }).toFormat("yyyy-LL-dd HH:mm 'UTC'"),
    left: timeLeft(fault.tokenExpiresAt, now),
  };
}

/** The expiry email: every token newly due, with a link to the admin page. */
export function composeExpiryEmail(options: {
  faults: StoredFault[];
  now: Date;
  adminUrl: string;
}): { subject: string; text: string; html: string } {
  const { faults, now, adminUrl } = options;
  const tokens = faults.map(fault => describe(fault, now));
  const subject =
    tokens.length === 1
      ? `API token "${tokens[0].name}" expires ${tokens[0].left}`
      : `${tokens.length} API tokens expire soon`;
  const text = [
    'These API tokens expire soon:',
    '',
    ...tokens.map(
      t => `- "${t.name}" of ${t.owner} expires ${t.expires} (${t.left})`,
    ),
    '',
    `Review them in Backstage: ${adminUrl}`,
    '',
  ].join('\n');
  const rows = tokens
    .map(
      t =>
        `<tr><td>${escapeHtml(t.name)}</td><td>${escapeHtml(t.owner)}</td><td>${
          t.expires
        }</td><td>${t.left}</td></tr>`,
    )
    .join('');
  const html =
    `<p>These API tokens expire soon:</p>` +
    `<table><thead><tr><th>Token</th><th>Owner</th><th>Expires</th><th>Left</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>` +
    `<p><a href="${escapeHtml(adminUrl)}">Review them in Backstage</a></p>`;
  return { subject, text, html };
}
