import { daysUntil } from '@internal/plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { StoredTokenUsage } from '../database/ApiTokensStore';
import { StoredFault } from '../database/FaultLedger';
import { describeUsage } from './usageLine';

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );
}

function describe(
  fault: StoredFault,
  now: Date,
  usage: Map<string, StoredTokenUsage>,
) {
  const days = daysUntil(fault.tokenExpiresAt, now);
  return {
    name: fault.tokenName,
    owner: fault.ownerRef,
    expires: DateTime.fromJSDate(fault.tokenExpiresAt, {
      zone: 'utc',
    }).toFormat("yyyy-LL-dd HH:mm 'UTC'"),
    left: days === 1 ? 'in 1 day' : `in ${days} days`,
    used: describeUsage(usage.get(fault.tokenId), now),
  };
}

/**
 * The expiry email: every token newly due, who still uses it, and a link to
 * the admin page.
 */
export function composeExpiryEmail(options: {
  faults: StoredFault[];
  now: Date;
  adminUrl: string;
  /** The use of the tokens, by id. */
  usage: Map<string, StoredTokenUsage>;
}): { subject: string; text: string; html: string } {
  const { faults, now, adminUrl, usage } = options;
  const tokens = faults.map(fault => describe(fault, now, usage));
  const subject =
    tokens.length === 1
      ? `API token "${tokens[0].name}" expires ${tokens[0].left}`
      : `${tokens.length} API tokens expire soon`;
  const text = [
    'These API tokens expire soon:',
    '',
    ...tokens.map(
      t =>
        `- "${t.name}" of ${t.owner} expires ${t.expires} (${t.left}); ${t.used}`,
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
        }</td><td>${t.left}</td><td>${escapeHtml(t.used)}</td></tr>`,
    )
    .join('');
  const html =
    `<p>These API tokens expire soon:</p>` +
    `<table><thead><tr><th>Token</th><th>Owner</th><th>Expires</th><th>Left</th><th>Use</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>` +
    `<p><a href="${escapeHtml(adminUrl)}">Review them in Backstage</a></p>`;
  return { subject, text, html };
}
