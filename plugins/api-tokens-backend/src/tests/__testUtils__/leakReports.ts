import { createHmac, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import request from 'supertest';
import { BASE } from '../../__testUtils__/startApiTokensBackend';

/** The id of the test's GitHub key, as GitHub would name it. */
export const GITHUB_KEY_ID =
  '90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a';
/** A secret of the generic HMAC scheme. */
export const HMAC_SECRET = 'leak-report-test-secret-0123456789';

/** A P-256 key pair made for the test run, like GitHub's signing key. */
export function githubKeyPair(): { publicPem: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
  });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
  };
}

/** The app-config that trusts `publicPem` and {@link HMAC_SECRET}. */
export function leakReportsConfig(publicPem: string) {
  return {
    github: { publicKeys: [{ id: GITHUB_KEY_ID, key: publicPem }] },
    hmacSecrets: [HMAC_SECRET],
  };
}

/** A report in GitHub's partner format. */
export function githubReport(
  tokens: string[],
  url = 'https://github.com/octo/repo/blob/main/ci.yml',
) {
  return JSON.stringify(
    tokens.map(token => ({
      token,
      type: 'backstage_api_token',
      url,
      source: 'content',
    })),
  );
}

/** GitHub's signature headers for `body`. */
export function githubSignature(
  body: string,
  privateKey: KeyObject,
  keyId = GITHUB_KEY_ID,
): Record<string, string> {
  return {
    'Github-Public-Key-Identifier': keyId,
    'Github-Public-Key-Signature': sign(
      'sha256',
      Buffer.from(body),
      privateKey,
    ).toString('base64'),
  };
}

/** The generic scheme's signature header for `body`. */
export function hmacSignature(
  body: string,
  secret = HMAC_SECRET,
): Record<string, string> {
  return {
    'X-Leak-Report-Signature': `sha256=${createHmac('sha256', secret)
      .update(body)
      .digest('hex')}`,
  };
}

/** Posts a raw leak report body with `headers`. */
export function postLeakReport(
  url: string,
  body: string,
  headers: Record<string, string>,
) {
  return request(url)
    .post(`${BASE}/v1/leaks`)
    .set('Content-Type', 'application/json')
    .set(headers)
    .send(body);
}

/** Waits until `condition` holds, or fails after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error(`Timed out after ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
