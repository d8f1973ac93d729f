import { daysUntil } from '@internal/plugin-api-tokens-common';
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

function describe(fault: StoredFault, now: Date) {
  const days = daysUntil(fault.tokenExpiresAt, now);
  return {
    name: fault.tokenName,
    owner: fault.ownerRef,
    expires: DateTime.fromJSDate(fault.tokenExpiresAt, {
      zone: 'utc',
    }).toFormat("yyyy-LL-dd HH:mm 'UTC'"),
    left: days === 1 ? 'in 1 day' : `in ${days} days`,
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
