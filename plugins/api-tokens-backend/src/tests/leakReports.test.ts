import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ApiTokenFault,
  CreatedApiToken,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { createHash, KeyObject } from 'node:crypto';
import request from 'supertest';
import { auditEvents, deepText } from '../__testUtils__/recording';
import {
  ALICE,
  ApiTokensTestBackend,
  BASE,
  BOB,
  DAN,
  headers,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';
import { RecordingNotificationService } from './__testUtils__/expiryFixtures';
import {
  GITHUB_KEY_ID,
  githubKeyPair,
  githubReport,
  githubSignature,
  hmacSignature,
  leakReportsConfig,
  postLeakReport,
  waitFor,
} from './__testUtils__/leakReports';
import { SmtpTestServer } from './__testUtils__/SmtpTestServer';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const OPS = 'ops@example.com';
const LEAK_URL = 'https://github.com/octo/repo/blob/main/ci.yml';

const sha256 = (value: string) =>
  createHash('sha256').update(value).digest('hex');

describe.each(databases.eachSupportedId())('leak reports on %s', databaseId => {
  let backend: ApiTokensTestBackend;
  let smtp: SmtpTestServer;
  let privateKey: KeyObject;
  const notifications = new RecordingNotificationService();

  beforeAll(async () => {
    const keys = githubKeyPair();
    privateKey = keys.privateKey;
    smtp = await SmtpTestServer.start();
    backend = await startApiTokensBackend({
      knex: await databases.init(databaseId),
      notifications,
      config: {
        apiTokens: {
          leakReports: leakReportsConfig(keys.publicPem),
          notifications: {
            email: {
              from: 'Backstage <backstage@example.com>',
              smtp: { host: '127.0.0.1', port: smtp.port },
            },
          },
        },
      },
    });
    await request(backend.url)
      .put(`${BASE}/v1/settings/UserTokenExpirationNotificationEmails`)
      .set(headers.user(ALICE))
      .send({ type: 'app-config', value: OPS })
      .expect(200);
  });

  afterAll(async () => {
    await backend?.stop();
    await smtp?.close();
  });

  async function issueForBob(name = 'CI'): Promise<CreatedApiToken> {
    const created = await request(backend.url)
      .post(`${BASE}/v1/users/bob/tokens`)
      .set(headers.user(ALICE))
      .send({ name });
    expect(created.status).toBe(201);
    return created.body;
  }

  async function tokenState(id: string) {
    const response = await request(backend.url)
      .get(`${BASE}/internal/tokens/${id}/state`)
      .set(headers.service('plugin:catalog'));
    return response.body.active as boolean;
  }

  async function leakFaults(tokenId: string): Promise<ApiTokenFault[]> {
    const response = await request(backend.url)
      .get(`${BASE}/v1/faults`)
      .set(headers.user(ALICE))
      .expect(200);
    return response.body.items.filter(
      (fault: ApiTokenFault) =>
        fault.tokenId === tokenId && fault.kind === 'leaked',
    );
  }

  const emailsAbout = (name: string) =>
    smtp.receivedBy(OPS).filter(email => email.text.includes(`"${name}"`));

  it('revokes a token reported by GitHub within the request, with one fault, one owner notice and one email, however often the report arrives', async () => {
    const { token, secret } = await issueForBob('leaky-ci');
    const body = githubReport([secret], LEAK_URL);
    const signature = githubSignature(body, privateKey);

    const first = await postLeakReport(backend.url, body, signature);
    expect(first.status).toBe(200);
    expect(first.body).toEqual([
      {
        token_hash: sha256(secret),
        token_type: 'backstage_api_token',
        label: 'true_positive',
      },
    ]);
    expect(first.text).not.toContain(secret);
    expect(await tokenState(token.id)).toBe(false);

    await waitFor(() => emailsAbout('leaky-ci').length > 0);
    // The same report again: answered alike, nothing more happens.
    const second = await postLeakReport(backend.url, body, signature);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    await new Promise(resolve => setTimeout(resolve, 500));

    const faults = await leakFaults(token.id);
    expect(faults).toEqual([
      expect.objectContaining({
        kind: 'leaked',
        status: 'open',
        leakUrl: LEAK_URL,
        ownerRef: BOB,
        tokenName: 'leaky-ci',
      }),
    ]);
    const [email] = emailsAbout('leaky-ci');
    expect(emailsAbout('leaky-ci')).toHaveLength(1);
    expect(email.subject).toBe('API token "leaky-ci" leaked and was revoked');
    expect(email.text).toContain(`token leaked at ${LEAK_URL}`);
    const notices = notifications.sent.filter(
      notice => notice.payload.scope === `api-token-leak:${token.id}`,
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: BOB },
      payload: {
        title: 'API token "leaky-ci" leaked and was revoked',
        severity: 'critical',
      },
    });

    const listed = await request(backend.url)
      .get(`${BASE}/v1/users/bob/tokens`)
      .set(headers.user(ALICE))
      .expect(200);
    expect(
      listed.body.items.find((item: { id: string }) => item.id === token.id),
    ).toMatchObject({ state: 'revoked', revokedBy: 'leak-report:github' });

    // The next expiry check leaves the leak fault open: it is about the
    // revocation.
    await request(backend.url)
      .post(`${BASE}/v1/expiry-check`)
      .set(headers.user(ALICE))
      .expect(200);
    expect((await leakFaults(token.id))[0].status).toBe('open');

    const events = auditEvents(backend.logs).filter(
      event => event.id === 'api-tokens.leak-report',
    );
    expect(events.filter(event => event.status === 'succeeded')).toEqual([
      expect.objectContaining({
        meta: expect.objectContaining({
          scheme: 'github',
          keyId: GITHUB_KEY_ID,
          revokedTokenIds: [token.id],
          truePositives: 1,
        }),
      }),
      expect.objectContaining({
        meta: expect.objectContaining({ revokedTokenIds: [] }),
      }),
    ]);
    expect(
      auditEvents(backend.logs).filter(
        event =>
          event.id === 'api-tokens.token-revoke' &&
          event.status === 'succeeded' &&
          event.meta.reason === 'leaked',
      ),
    ).toHaveLength(1);
    expect(deepText(backend.logs)).not.toContain(secret);
  });

  it('accepts the generic HMAC scheme', async () => {
    const { token, secret } = await issueForBob('hmac-ci');
    const body = githubReport([secret]);

    const response = await postLeakReport(
      backend.url,
      body,
      hmacSignature(body),
    );

    expect(response.status).toBe(200);
    expect(response.body[0].label).toBe('true_positive');
    expect(await tokenState(token.id)).toBe(false);
    expect(await leakFaults(token.id)).toHaveLength(1);
  });

  it('answers false_positive for values that are not ours, malformed, or already revoked, and changes nothing', async () => {
    const revoked = await issueForBob('revoked-before');
    await request(backend.url)
      .delete(`${BASE}/v1/tokens/${revoked.token.id}`)
      .set(headers.user(BOB))
      .expect(204);
    const values = [
      generateApiToken(),
      'ghp_notoursnotoursnotoursnotoursnotours0',
      revoked.secret,
    ];
    const body = githubReport(values);

    const response = await postLeakReport(
      backend.url,
      body,
      githubSignature(body, privateKey),
    );

    expect(response.status).toBe(200);
    expect(response.body).toEqual(
      values.map(value => ({
        token_hash: sha256(value),
        token_type: 'backstage_api_token',
        label: 'false_positive',
      })),
    );
    expect(await leakFaults(revoked.token.id)).toEqual([]);
  });

  describe('refuses, changing nothing', () => {
    let victim: CreatedApiToken;
    let body: string;

    beforeAll(async () => {
      victim = await issueForBob('untouched');
      body = githubReport([victim.secret]);
    });

    /** Nothing changed: the token works and no fault was raised. */
    async function expectUnchanged() {
      expect(await tokenState(victim.token.id)).toBe(true);
      expect(await leakFaults(victim.token.id)).toEqual([]);
    }

    it('an unsigned report', async () => {
      const response = await postLeakReport(backend.url, body, {});
      expect(response.status).toBe(401);
      expect(response.text).not.toContain(victim.secret);
      await expectUnchanged();
    });

    it('a bad signature', async () => {
      const other = githubKeyPair();
      for (const signature of [
        githubSignature(body, other.privateKey),
        {
          ...githubSignature(body, privateKey),
          'Github-Public-Key-Signature': 'bm90IGEgc2lnbmF0dXJl',
        },
        hmacSignature(body, 'another-secret-of-some-length'),
        { 'X-Leak-Report-Signature': 'sha256=zz' },
      ]) {
        const response = await postLeakReport(backend.url, body, signature);
        expect(response.status).toBe(401);
        expect(response.body.error.message).toBe(
          'The leak report signature is not valid',
        );
      }
      await expectUnchanged();
    });

    it('a signature by an unknown key id', async () => {
      const response = await postLeakReport(
        backend.url,
        body,
        githubSignature(body, privateKey, 'f'.repeat(64)),
      );
      expect(response.status).toBe(401);
      await expectUnchanged();
    });

    it('a body altered after signing', async () => {
      const signature = githubSignature(body, privateKey);
      const altered = body.replace('ci.yml', 'cd.yml');
      for (const headersUsed of [signature, hmacSignature(body)]) {
        const response = await postLeakReport(
          backend.url,
          altered,
          headersUsed,
        );
        expect(response.status).toBe(401);
      }
      await expectUnchanged();
    });

    it('a body that is not an array (400)', async () => {
      const notArray = JSON.stringify({
        token: victim.secret,
        type: 'backstage_api_token',
      });
      const response = await postLeakReport(
        backend.url,
        notArray,
        githubSignature(notArray, privateKey),
      );
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
      expect(response.text).not.toContain(victim.secret);
      await expectUnchanged();
    });

    it('an item without its token (400 naming the field)', async () => {
      const missing = JSON.stringify([{ type: 'backstage_api_token' }]);
      const response = await postLeakReport(
        backend.url,
        missing,
        githubSignature(missing, privateKey),
      );
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain('token');
      await expectUnchanged();
    });

    it('1,001 values (413)', async () => {
      const many = githubReport([
        victim.secret,
        ...Array.from({ length: 1000 }, () => generateApiToken()),
      ]);
      const response = await postLeakReport(
        backend.url,
        many,
        githubSignature(many, privateKey),
      );
      expect(response.status).toBe(413);
      await expectUnchanged();
    });

    it('a body over 1 MB (413)', async () => {
      const big = githubReport(
        [victim.secret],
        `https://x/${'a'.repeat(1024 * 1024)}`,
      );
      const response = await postLeakReport(
        backend.url,
        big,
        githubSignature(big, privateKey),
      );
      expect(response.status).toBe(413);
      await expectUnchanged();
    });
  });

  it('records refused reports with the auditor, without the body', async () => {
    const { secret } = await issueForBob('audited');
    const body = githubReport([secret]);
    await postLeakReport(
      backend.url,
      body,
      hmacSignature(body, 'x'.repeat(20)),
    );
    const failed = auditEvents(backend.logs).filter(
      event =>
        event.id === 'api-tokens.leak-report' && event.status === 'failed',
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(deepText(backend.logs)).not.toContain(secret);
  });

  describe('POST /v1/tokens/lookup', () => {
    const lookup = (token: string, auth: Record<string, string>) =>
      request(backend.url)
        .post(`${BASE}/v1/tokens/lookup`)
        .set(auth)
        .send({ token });

    it('answers the metadata of a token to an admin, never its value', async () => {
      const { token, secret } = await issueForBob('looked-up');
      for (const admin of [ALICE, DAN]) {
        const response = await lookup(secret, headers.user(admin));
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          token: expect.objectContaining({
            id: token.id,
            name: 'looked-up',
            ownerRef: BOB,
            state: 'active',
            lastUsedAt: null,
          }),
          revokedReason: null,
          leakUrl: null,
        });
        expect(response.text).not.toContain(secret);
      }
      const events = auditEvents(backend.logs).filter(
        event => event.id === 'api-tokens.token-lookup',
      );
      expect(events).toContainEqual(
        expect.objectContaining({
          status: 'succeeded',
          meta: expect.objectContaining({ tokenId: token.id, ownerRef: BOB }),
        }),
      );
      expect(deepText(backend.logs)).not.toContain(secret);
    });

    it('says why a leaked token was revoked and where it leaked', async () => {
      const { secret } = await issueForBob('leaked-looked-up');
      const body = githubReport([secret], LEAK_URL);
      await postLeakReport(backend.url, body, hmacSignature(body)).expect(200);

      const response = await lookup(secret, headers.user(ALICE));
      expect(response.body).toMatchObject({
        token: { state: 'revoked' },
        revokedReason: 'leaked',
        leakUrl: LEAK_URL,
      });
    });

    it('does not find a value that is not one of our tokens, without repeating it', async () => {
      for (const value of [generateApiToken(), 'bsat_short', 'ghp_xyz']) {
        const response = await lookup(value, headers.user(ALICE));
        expect(response.status).toBe(404);
        expect(response.text).not.toContain(value);
      }
    });

    it('is refused to non-admins and to requests made with an API token', async () => {
      const { secret } = await issueForBob('private');
      const refusals = [
        [headers.user(BOB), 403],
        [headers.exchangedFromApiToken(ALICE), 403],
        [headers.apiToken(secret), 403],
        [{}, 401],
      ] as const;
      for (const [auth, status] of refusals) {
        const response = await lookup(secret, auth);
        expect(response.status).toBe(status);
        expect(response.body).not.toHaveProperty('token');
        expect(response.text).not.toContain(secret);
      }
    });
  });
});

describe('the leak endpoint rate limit', () => {
  let backend: ApiTokensTestBackend;

  beforeAll(async () => {
    backend = await startApiTokensBackend({
      config: {
        apiTokens: {
          leakReports: {
            ...leakReportsConfig(githubKeyPair().publicPem),
            rateLimit: { maxRequests: 3, window: { minutes: 1 } },
          },
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('answers 429 with Retry-After once an address sent more than the limit, signed or not', async () => {
    const body = githubReport([generateApiToken()]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (
          await postLeakReport(
            backend.url,
            body,
            i === 0 ? hmacSignature(body) : {},
          )
        ).status,
      );
    }
    const limited = await postLeakReport(
      backend.url,
      body,
      hmacSignature(body),
    );
    expect(statuses).toEqual([200, 401, 401]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error.name).toBe('TooManyRequestsError');
  });
});
