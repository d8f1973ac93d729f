import { timeUntilExpiry } from '@nholuongut/backstage-plugin-api-tokens-common';
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
  return {
    name: fault.tokenName,
    owner: fault.ownerRef,
    expires: DateTime.fromJSDate(fault.tokenExpiresAt, {
      zone: 'utc',
    }).toFormat("yyyy-LL-dd HH:mm 'UTC'"),
    left: timeUntilExpiry(fault.tokenExpiresAt, now),
    used: describeUsage(usage.get(fault.tokenId), now),
  };
}

/** The leak part of an email: tokens revoked because they leaked. */
function composeLeakSection(faults: StoredFault[]): {
  text: string[];
  html: string;
} {
  if (faults.length === 0) {
    return { text: [], html: '' };
  }
  const leaks = faults.map(fault => ({
    name: fault.tokenName,
    owner: fault.ownerRef,
    url: fault.leakUrl ?? 'an unknown address',
  }));
  const rows = leaks
    .map(
      l =>
        `<tr><td>${escapeHtml(l.name)}</td><td>${escapeHtml(
          l.owner,
        )}</td><td>${escapeHtml(l.url)}</td></tr>`,
    )
    .join('');
  return {
    text: [
      'These API tokens leaked and were revoked:',
      '',
      ...leaks.map(
        l => `- "${l.name}" of ${l.owner}: token leaked at ${l.url}`,
      ),
      '',
    ],
    html:
      `<p>These API tokens leaked and were revoked:</p>` +
      `<table><thead><tr><th>Token</th><th>Owner</th><th>Leaked at</th></tr></thead>` +
      `<tbody>${rows}</tbody></table>`,
  };
}

/** The subject: leaks first, they need attention now. */
function subjectOf(
  leaked: StoredFault[],
  expiring: StoredFault[],
  now: Date,
  usage: Map<string, StoredTokenUsage>,
) {
  if (leaked.length === 1 && expiring.length === 0) {
    return `API token "${leaked[0].tokenName}" leaked and was revoked`;
  }
  if (leaked.length > 0) {
    return `${leaked.length} API ${
      leaked.length === 1 ? 'token' : 'tokens'
    } leaked and ${leaked.length === 1 ? 'was' : 'were'} revoked`;
  }
  return expiring.length === 1
    ? `API token "${expiring[0].tokenName}" expires ${
        describe(expiring[0], now, usage).left
      }`
    : `${expiring.length} API tokens expire soon`;
}

/**
 * The email about faults newly raised: every token that leaked (and was
 * revoked), every token newly due to expire, and a link to the admin page.
 */
export function composeExpiryEmail(options: {
  faults: StoredFault[];
  now: Date;
  adminUrl: string;
  /** The use of the tokens, by id. */
  usage: Map<string, StoredTokenUsage>;
}): { subject: string; text: string; html: string } {
  const { faults, now, adminUrl, usage } = options;
  const leaked = faults.filter(fault => fault.kind === 'leaked');
  const expiring = faults.filter(fault => fault.kind !== 'leaked');
  const leaks = composeLeakSection(leaked);
  const tokens = expiring.map(fault => describe(fault, now, usage));
  const subject = subjectOf(leaked, expiring, now, usage);
  const text = [
    ...leaks.text,
    ...(tokens.length > 0
      ? [
          'These API tokens expire soon:',
          '',
          ...tokens.map(
            t =>
              `- "${t.name}" of ${t.owner} expires ${t.expires} (${t.left}); ${t.used}`,
          ),
          '',
        ]
      : []),
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
  const expiringHtml =
    tokens.length > 0
      ? `<p>These API tokens expire soon:</p>` +
        `<table><thead><tr><th>Token</th><th>Owner</th><th>Expires</th><th>Left</th><th>Use</th></tr></thead>` +
        `<tbody>${rows}</tbody></table>`
      : '';
  const html = `${leaks.html}${expiringHtml}<p><a href="${escapeHtml(
    adminUrl,
  )}">Review them in Backstage</a></p>`;
  return { subject, text, html };
}
