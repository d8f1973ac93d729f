import { Config } from '@backstage/config';
import { AuthenticationError } from '@backstage/errors';
import {
  createHmac,
  createPublicKey,
  KeyObject,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';

const CONFIG_KEY = 'apiTokens.leakReports';
export const GITHUB_KEY_ID_HEADER = 'github-public-key-identifier';
export const GITHUB_SIGNATURE_HEADER = 'github-public-key-signature';
export const HMAC_SIGNATURE_HEADER = 'x-leak-report-signature';

/** Who signed a leak report: GitHub with one of its keys, or an HMAC secret. */
export type LeakReporter =
  | { scheme: 'github'; keyId: string }
  | { scheme: 'hmac'; secretIndex: number };

const unsigned = () =>
  new AuthenticationError(
    'Leak reports must be signed: Github-Public-Key-Identifier and Github-Public-Key-Signature, or X-Leak-Report-Signature',
  );
const badSignature = () =>
  new AuthenticationError('The leak report signature is not valid');

function singleHeader(
  headers: IncomingHttpHeaders,
  name: string,
): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}

/**
 * Checks the signature of a leak report over its raw body, before anything
 * reads it: GitHub's secret scanning partner format (ECDSA P-256 with
 * SHA-256, base64 DER, by a public key named in config), or the generic
 * scheme (`X-Leak-Report-Signature: sha256=<hex HMAC-SHA-256>` with one of
 * the configured secrets).
 */
export class LeakReportVerifier {
  /**
   * Reads `apiTokens.leakReports`; throws naming the key when a GitHub key
   * is not a usable P-256 public key in PEM, or a secret is too short.
   */
  static fromConfig(config: Config): LeakReportVerifier {
    const reports = config.getOptionalConfig(CONFIG_KEY);
    const githubKeys = new Map<string, KeyObject>();
    const keyConfigs =
      reports?.getOptionalConfigArray('github.publicKeys') ?? [];
    keyConfigs.forEach((keyConfig, index) => {
      const where = `${CONFIG_KEY}.github.publicKeys[${index}]`;
      const id = keyConfig.getString('id');
      let key: KeyObject;
      try {
        key = createPublicKey(keyConfig.getString('key'));
      } catch (error) {
        throw new Error(`${where}.key is not a PEM public key: ${error}`);
      }
      if (
        key.asymmetricKeyType !== 'ec' ||
        key.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
      ) {
        throw new Error(`${where}.key must be an ECDSA P-256 public key`);
      }
      githubKeys.set(id, key);
    });
    const secrets = reports?.getOptionalStringArray('hmacSecrets') ?? [];
    secrets.forEach((secret, index) => {
      if (secret.length < 16) {
        throw new Error(
          `${CONFIG_KEY}.hmacSecrets[${index}] must be at least 16 characters`,
        );
      }
    });
    return new LeakReportVerifier(githubKeys, secrets);
  }

  constructor(
    private readonly githubKeys: Map<string, KeyObject>,
    private readonly hmacSecrets: string[],
  ) {}

  /** Whether any scheme is configured; without one every report is refused. */
  get configured(): boolean {
    return this.githubKeys.size > 0 || this.hmacSecrets.length > 0;
  }

  /**
   * Who signed `body`; throws `AuthenticationError` when nobody we trust
   * did. The error never says which key or secret was close.
   */
  verify(body: Buffer, headers: IncomingHttpHeaders): LeakReporter {
    const keyId = singleHeader(headers, GITHUB_KEY_ID_HEADER);
    const githubSignature = singleHeader(headers, GITHUB_SIGNATURE_HEADER);
    const hmacSignature = singleHeader(headers, HMAC_SIGNATURE_HEADER);
    if (keyId !== undefined || githubSignature !== undefined) {
      const key = keyId === undefined ? undefined : this.githubKeys.get(keyId);
      if (!key || !githubSignature) {
        throw badSignature();
      }
      const signature = Buffer.from(githubSignature, 'base64');
      let valid = false;
      try {
        valid = verify('sha256', body, key, signature);
      } catch {
        valid = false;
      }
      if (!valid) {
        throw badSignature();
      }
      return { scheme: 'github', keyId: keyId! };
    }
    if (hmacSignature !== undefined) {
      const hex = /^sha256=([0-9a-f]{64})$/i.exec(hmacSignature)?.[1];
      if (!hex) {
        throw badSignature();
      }
      const given = Buffer.from(hex.toLowerCase(), 'hex');
      const secretIndex = this.hmacSecrets.findIndex(secret =>
        timingSafeEqual(
          createHmac('sha256', secret).update(body).digest(),
          given,
        ),
      );
      if (secretIndex < 0) {
        throw badSignature();
      }
      return { scheme: 'hmac', secretIndex };
    }
    throw unsigned();
  }
}
