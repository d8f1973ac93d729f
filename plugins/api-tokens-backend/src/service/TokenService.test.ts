import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DAY_MS,
  generateApiToken,
  HOUR_MS,
  isWellFormedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  API_TOKEN_ACTOR_SUBJECT,
  API_TOKEN_ID_CLAIM,
} from '@nholuongut/backstage-plugin-api-tokens-node';
import { ApiTokenRevocationSignal } from '@nholuongut/backstage-plugin-api-tokens-node';
import { Knex } from 'knex';
import {
  ALICE,
  BOB,
  CAROL,
  CATALOG_USERS,
  DAN,
  testPermissions,
} from '../__testUtils__/testPolicy';
import { DatabaseApiTokensStore } from '../database/DatabaseApiTokensStore';
import { DatabaseEmailOutbox } from '../database/DatabaseEmailOutbox';
import { DatabaseFaultLedger } from '../database/DatabaseFaultLedger';
import { DatabaseSettingsStore } from '../database/DatabaseSettingsStore';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { Authorizer } from './Authorizer';
import { Caller, Request } from './Caller';
import { TokenDigester } from './TokenDigester';
import { TokenLifetimes } from './TokenLifetimes';
import { InstalledPermissions } from './InstalledPermissions';
import { PermissionProbe } from './PermissionProbe';
import { TokenService } from './TokenService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const START = new Date('2026-06-01T12:00:00.000Z');
/** The most temporary tokens a user may have active, in these tests. */
const MAX_ACTIVE_TEMPORARY = 3;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** A signed-in user, with the Authorization header of their request. */
function caller(
  userRef: string,
  options: { authorization?: string; actor?: string } = {},
): Caller {
  return {
    credentials: mockCredentials.user(
      userRef,
      options.actor ? { actor: { subject: options.actor } } : undefined,
    ),
    request: {
      headers: options.authorization
        ? { authorization: options.authorization }
        : {},
    } as unknown as Request,
  };
}

const authPlugin = mockCredentials.service('plugin:auth');

describe.each(databases.eachSupportedId())('TokenService on %s', databaseId => {
  let knex: Knex;
  let time: Date;
  let auditor: ReturnType<typeof mockServices.auditor.mock>;
  let tokens: TokenService;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
  });

  beforeEach(async () => {
    await knex('api_tokens').delete();
    time = START;
    auditor = mockServices.auditor.mock();
    tokens = new TokenService({
      store: new DatabaseApiTokensStore(knex),
      digester: new TokenDigester(),
      lifetimes: new TokenLifetimes(365 * DAY_MS, 8 * HOUR_MS),
      settings: new DatabaseSettingsStore(knex),
      faults: new DatabaseFaultLedger(knex, new DatabaseEmailOutbox(knex)),
      maxActiveTemporaryTokens: MAX_ACTIVE_TEMPORARY,
      authorizer: new Authorizer(testPermissions),
      auditor,
      catalog: catalogServiceMock({ entities: CATALOG_USERS }),
      logger: mockServices.logger.mock(),
      installedPermissions: new InstalledPermissions({
        instanceMetadata: { getInstalledPlugins: async () => [] },
        discovery: mockServices.discovery(),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
      }),
      permissionProbe: new PermissionProbe(mockServices.discovery()),
      requireScope: false,
      revocations: new ApiTokenRevocationSignal({
        cache: CacheManager.fromConfig(new ConfigReader({})).forPlugin(
          'api-tokens',
        ),
      }),
      now: () => time,
    });
  });

  const issuePermanent = (
    userRef: string,
    options: { name?: string; expiresAt?: string; by?: string } = {},
  ) =>
    tokens.issue(caller(options.by ?? ALICE), {
      kind: 'permanent',
      userRef,
      name: options.name ?? 'CI deploys',
      expiresAt: options.expiresAt,
    });

  const ownTokens = async (userRef: string) =>
    (await tokens.list(caller(userRef), {})).items;

  const count = async () =>
    Number((await knex('api_tokens').count({ n: '*' }))[0].n);

  /** How the auditor events ended: success meta, or the error. */
  const auditOutcomes = async () =>
    Promise.all(
      auditor.createEvent.mock.results.map(async (result, i) => {
        const event = await result.value;
        const { eventId, meta } = auditor.createEvent.mock.calls[i][0];
        const success = event.success.mock.calls[0]?.[0];
        const failure = event.fail.mock.calls[0]?.[0];
        return {
          eventId,
          meta,
          ...(success ? { success: success.meta } : {}),
          ...(failure ? { error: failure.error.message } : {}),
        };
      }),
    );

  describe('issue', () => {
    it('issues a permanent token for a user of the catalog, expiring at the maximum lifetime by default', async () => {
      const { token, secret } = await issuePermanent('bob', {
        name: '  CI deploys ',
      });

      expect(isWellFormedApiToken(secret)).toBe(true);
      expect(token).toEqual({
        id: expect.any(String),
        name: 'CI deploys',
        kind: 'permanent',
        scope: null,
        ownerRef: BOB,
        createdBy: ALICE,
        createdAt: START,
        expiresAt: new Date(START.getTime() + 365 * DAY_MS),
        hint: secret.slice(-4),
      });
      expect(await auditOutcomes()).toEqual([
        {
          eventId: 'token-create',
          meta: { kind: 'permanent', userRef: BOB },
          success: {
            tokenId: token.id,
            ownerRef: BOB,
            scope: "the owner's full access",
          },
        },
      ]);
    });

    it('takes an earlier expiry, as a date or a date-time with an offset', async () => {
      const cases = [
        ['2026-07-01', '2026-07-01T00:00:00.000Z'],
        ['2026-06-03T14:00:00+02:00', '2026-06-03T12:00:00.000Z'],
        [
          new Date(START.getTime() + 365 * DAY_MS).toISOString(),
          '2027-06-01T12:00:00.000Z',
        ],
      ];
      for (const [expiresAt, expected] of cases) {
        const { token } = await issuePermanent(BOB, { expiresAt });
        expect(token.expiresAt.toISOString()).toBe(expected);
      }
    });

    it.each([
      ['a blank name', { name: '   ' }, /^name /],
      ['a control character', { name: 'ring\u0007' }, /^name /],
      ['a bidi override', { name: 'evil\u202etxt.exe' }, /^name /],
      ['an unparseable expiresAt', { expiresAt: 'tomorrow' }, /^expiresAt /],
      ['an empty expiresAt', { expiresAt: '' }, /^expiresAt /],
      ['a past expiresAt', { expiresAt: '2020-01-01' }, /in the future/],
      [
        'an expiresAt beyond the maximum lifetime',
        { expiresAt: '2027-06-01T12:00:00.001Z' },
        /no later than 2027-06-01T12:00:00.000Z/,
      ],
    ])(
      'refuses %s with an InputError naming the field, creating nothing',
      async (_case, options, message) => {
        const issued = issuePermanent(BOB, options);
        await expect(issued).rejects.toThrow(InputError);
        await expect(issued).rejects.toThrow(message);
        expect(await count()).toBe(0);
        expect(await auditOutcomes()).toEqual([
          expect.objectContaining({ error: expect.stringMatching(message) }),
        ]);
      },
    );

    it('normalises the owner to a full, lower-case user ref', async () => {
      for (const ref of ['bob', 'user:default/bob', 'User:Default/Bob']) {
        expect((await issuePermanent(ref)).token.ownerRef).toBe(BOB);
      }
    });

    it('refuses owners that are not users, and users not in the catalog', async () => {
      for (const ref of ['group:default/admins', 'user:default/a b']) {
        await expect(issuePermanent(ref)).rejects.toThrow(/^userRef /);
      }
      await expect(
        issuePermanent(`user:default/${generateApiToken()}`),
      ).rejects.toThrow('userRef must name a user, not an API token');
      await expect(issuePermanent('user:default/zed')).rejects.toThrow(
        new NotFoundError('No user user:default/zed in the catalog'),
      );
      expect(await count()).toBe(0);
      // An owner that is not a user ref is audited as null, never as given.
      expect(auditor.createEvent.mock.calls[2][0].meta).toEqual({
        kind: 'permanent',
        userRef: null,
      });
    });

    it.each([
      [BOB, BOB],
      [BOB, CAROL],
      [CAROL, BOB],
      [DAN, BOB],
    ])('forbids %s to issue a permanent token for %s', async (by, owner) => {
      await expect(issuePermanent(owner, { by })).rejects.toThrow(
        /api-tokens\.token\.create/,
      );
      expect(await count()).toBe(0);
    });

    it('issues a temporary token to the caller for the configured lifetime', async () => {
      const { token } = await tokens.issue(caller(CAROL), {
        kind: 'temporary',
      });
      expect(token).toMatchObject({
        name: 'Temporary token',
        kind: 'temporary',
        ownerRef: CAROL,
        createdBy: CAROL,
        expiresAt: new Date(START.getTime() + 8 * HOUR_MS),
      });
      const named = await tokens.issue(caller(CAROL), {
        kind: 'temporary',
        name: '  my laptop ',
      });
      expect(named.token.name).toBe('my laptop');
      await expect(
        tokens.issue(caller(CAROL), { kind: 'temporary', name: 'a\u2066b' }),
      ).rejects.toThrow(/^name /);
    });

    it('refuses callers whose credentials came from an API token', async () => {
      const callers = [
        caller(ALICE, { authorization: `Bearer ${generateApiToken()}` }),
        caller(ALICE, { actor: API_TOKEN_ACTOR_SUBJECT }),
      ];
      for (const leaked of callers) {
        for (const request of [
          { kind: 'temporary' as const },
          { kind: 'permanent' as const, userRef: BOB, name: 'x' },
        ]) {
          await expect(tokens.issue(leaked, request)).rejects.toThrow(
            /API tokens cannot be used to manage API tokens/,
          );
        }
      }
      expect(await count()).toBe(0);
    });
  });

  describe('the cap on temporary tokens', () => {
    const issueTemporary = (userRef: string) =>
      tokens.issue(caller(userRef), { kind: 'temporary' });

    /** The ids of a user's active temporary tokens, as stored. */
    const activeTemporary = async (userRef: string) =>
      (
        await knex('api_tokens')
          .where({ owner_ref: userRef, kind: 'temporary' })
          .whereNull('revoked_at')
          .select('id')
      )
        .map(row => row.id)
        .sort();

    it('revokes the oldest active temporary tokens of the user beyond the cap, auditing each', async () => {
      const issued = [];
      for (let i = 0; i < MAX_ACTIVE_TEMPORARY + 2; i++) {
        time = new Date(START.getTime() + i * 1000);
        issued.push((await issueTemporary(CAROL)).token);
      }

      expect(await activeTemporary(CAROL)).toEqual(
        issued
          .slice(2)
          .map(t => t.id)
          .sort(),
      );
      const [first, second] = await Promise.all(
        issued
          .slice(0, 2)
          .map(t => knex('api_tokens').where({ id: t.id }).first()),
      );
      // Each was revoked by the owner, by the mint that went over the cap.
      expect([first.revoked_by, second.revoked_by]).toEqual([CAROL, CAROL]);
      expect(
        [first.revoked_at, second.revoked_at].map(at => new Date(at).getTime()),
      ).toEqual([
        START.getTime() + MAX_ACTIVE_TEMPORARY * 1000,
        START.getTime() + (MAX_ACTIVE_TEMPORARY + 1) * 1000,
      ]);
      expect(
        (await auditOutcomes()).filter(e => e.eventId === 'token-revoke'),
      ).toEqual(
        [first, second].map(row => ({
          eventId: 'token-revoke',
          meta: { tokenId: row.id, reason: 'temporary-token-cap' },
          success: { ownerRef: CAROL },
        })),
      );
      // Each revocation is audited with the request of the mint that caused
      // it, from which the auditor takes the actor: the owner.
      const calls = auditor.createEvent.mock.calls.map(([event]) => event);
      const causes = calls.flatMap((event, i) =>
        event.eventId === 'token-revoke'
          ? [[calls[i - 1].eventId, calls[i - 1].request === event.request]]
          : [],
      );
      expect(causes).toEqual([
        ['token-create', true],
        ['token-create', true],
      ]);
    });

    it('counts only the user’s active temporary tokens', async () => {
      const expired = await issueTemporary(CAROL);
      const revoked = await issueTemporary(CAROL);
      await tokens.revoke(caller(CAROL), revoked.token.id);
      const permanent = await issuePermanent(CAROL);
      const others = [];
      for (let i = 0; i < MAX_ACTIVE_TEMPORARY; i++) {
        others.push((await issueTemporary(BOB)).token.id);
      }

      time = new Date(START.getTime() + 9 * HOUR_MS);
      const fresh = [];
      for (let i = 0; i < MAX_ACTIVE_TEMPORARY; i++) {
        fresh.push((await issueTemporary(CAROL)).token.id);
      }

      expect(await activeTemporary(CAROL)).toEqual(
        [expired.token.id, ...fresh].sort(),
      );
      expect(await activeTemporary(BOB)).toEqual(others.sort());
      expect(
        (await knex('api_tokens').where({ id: permanent.token.id }).first())
          .revoked_at,
      ).toBeNull();
      expect(
        (await auditOutcomes()).filter(
          e => e.eventId === 'token-revoke' && e.meta?.reason,
        ),
      ).toEqual([]);
    });

    it('holds when one user mints 50 temporary tokens at once', async () => {
      const issued = await Promise.all(
        Array.from({ length: 50 }, () => issueTemporary(DAN)),
      );

      expect(new Set(issued.map(i => i.token.id)).size).toBe(50);
      expect(await count()).toBe(50);
      const active = await activeTemporary(DAN);
      expect(active).toHaveLength(MAX_ACTIVE_TEMPORARY);
      const capRevocations = (await auditOutcomes()).filter(
        e => e.eventId === 'token-revoke',
      );
      expect(capRevocations).toHaveLength(50 - MAX_ACTIVE_TEMPORARY);
      expect(
        new Set(capRevocations.map(e => e.meta?.tokenId as string)),
      ).toEqual(
        new Set(issued.map(i => i.token.id).filter(id => !active.includes(id))),
      );
    });
  });

  describe('list', () => {
    it('lists the caller’s own tokens, newest first, in every state', async () => {
      const first = await issuePermanent(BOB, { name: 'first' });
      time = new Date(START.getTime() + 1000);
      const second = await issuePermanent(BOB, { name: 'second' });
      await issuePermanent(CAROL);
      await tokens.revoke(caller(BOB), first.token.id);

      expect((await ownTokens(BOB)).map(t => [t.name, !!t.revokedAt])).toEqual([
        ['second', false],
        ['first', true],
      ]);
      expect(second.token.ownerRef).toBe(BOB);
    });

    it('lists another user’s tokens for those with the read permission only', async () => {
      const { token } = await issuePermanent(BOB);
      for (const reader of [ALICE, DAN]) {
        const page = await tokens.list(caller(reader), { userRef: 'bob' });
        expect(page.items.map(t => t.id)).toEqual([token.id]);
      }
      for (const other of [BOB, CAROL]) {
        await expect(
          tokens.list(caller(other), { userRef: BOB }),
        ).rejects.toThrow(NotAllowedError);
      }
    });

    it('pages with the given limit, 100 by default', async () => {
      for (let i = 0; i < 3; i++) {
        await issuePermanent(BOB, { name: `t${i}` });
      }
      const page = await tokens.list(caller(BOB), { limit: 2 });
      expect(page.items).toHaveLength(2);
      const rest = await tokens.list(caller(BOB), { cursor: page.nextCursor });
      expect(rest.items).toHaveLength(1);
      expect(rest.nextCursor).toBeUndefined();
    });
  });

  describe('revoke', () => {
    it('lets the owner and an admin revoke, keeping the first revocation', async () => {
      const { token } = await issuePermanent(BOB);
      time = new Date(START.getTime() + HOUR_MS);
      const revoked = await tokens.revoke(caller(BOB), token.id);
      expect(revoked).toMatchObject({ revokedBy: BOB, revokedAt: time });

      time = new Date(START.getTime() + 2 * HOUR_MS);
      const again = await tokens.revoke(caller(ALICE), token.id.toUpperCase());
      expect(again).toEqual(revoked);

      const other = await issuePermanent(BOB);
      expect(
        (await tokens.revoke(caller(ALICE), other.token.id)).revokedBy,
      ).toBe(ALICE);
      expect(
        (await auditOutcomes()).filter(e => e.eventId === 'token-revoke'),
      ).toEqual([
        {
          eventId: 'token-revoke',
          meta: { tokenId: token.id },
          success: { ownerRef: BOB },
        },
        {
          eventId: 'token-revoke',
          meta: { tokenId: token.id },
          success: { ownerRef: BOB },
        },
        {
          eventId: 'token-revoke',
          meta: { tokenId: other.token.id },
          success: { ownerRef: BOB },
        },
      ]);
    });

    it('does not reveal a token to those who may not revoke it', async () => {
      const { token } = await issuePermanent(BOB);
      for (const userRef of [CAROL, DAN]) {
        await expect(tokens.revoke(caller(userRef), token.id)).rejects.toThrow(
          new NotFoundError(`No API token with id ${token.id}`),
        );
      }
      await expect(tokens.revoke(caller(ALICE), UNKNOWN_ID)).rejects.toThrow(
        NotFoundError,
      );
      expect((await ownTokens(BOB))[0].revokedAt).toBeUndefined();
    });
  });

  describe('verify', () => {
    it('verifies a token for the auth plugin only', async () => {
      const { token, secret } = await issuePermanent(BOB);
      await expect(tokens.verify(authPlugin, secret)).resolves.toEqual(token);
      for (const other of ['plugin:catalog', 'external:test-service']) {
        await expect(
          tokens.verify(mockCredentials.service(other), secret),
        ).rejects.toThrow(
          new NotAllowedError('Only the auth plugin may verify API tokens'),
        );
      }
    });

    it('refuses malformed, unknown, revoked and expired tokens, saying which', async () => {
      const { token, secret } = await issuePermanent(BOB, {
        expiresAt: '2026-06-02T12:00:00Z',
      });
      for (const candidate of [
        'bsat_abc',
        `${secret}x`,
        secret.toUpperCase(),
        '',
        generateApiToken(),
      ]) {
        await expect(tokens.verify(authPlugin, candidate)).rejects.toThrow(
          new AuthenticationError('Invalid API token'),
        );
      }

      time = new Date('2026-06-02T11:59:59Z');
      await expect(tokens.verify(authPlugin, secret)).resolves.toBeDefined();
      time = new Date('2026-06-02T12:00:00Z');
      await expect(tokens.verify(authPlugin, secret)).rejects.toThrow(
        'API token has expired',
      );

      time = START;
      await tokens.revoke(caller(BOB), token.id);
      await expect(tokens.verify(authPlugin, secret)).rejects.toThrow(
        'API token has been revoked',
      );
    });

    it('records the last use at most once a minute', async () => {
      const { token, secret } = await issuePermanent(BOB);
      const lastUsedAt = async () => {
        // The write happens after the answer.
        await new Promise(resolve => setTimeout(resolve, 50));
        return (await ownTokens(BOB)).find(t => t.id === token.id)?.lastUsedAt;
      };
      const at = (ms: number) => new Date(START.getTime() + ms);

      time = at(0);
      await tokens.verify(authPlugin, secret);
      expect(await lastUsedAt()).toEqual(at(0));

      time = at(30_000);
      await tokens.verify(authPlugin, secret);
      time = at(59_999);
      await tokens.verify(authPlugin, secret);
      expect(await lastUsedAt()).toEqual(at(0));

      time = at(61_000);
      await tokens.verify(authPlugin, secret);
      expect(await lastUsedAt()).toEqual(at(61_000));
    });
  });

  describe('getCallerToken', () => {
    it('finds the token a request was made with, directly or exchanged', async () => {
      const { token, secret } = await issuePermanent(BOB);
      const direct = caller(BOB, { authorization: `Bearer ${secret}` });
      expect(await tokens.getCallerToken(direct)).toEqual(token);

      const claims = Buffer.from(
        JSON.stringify({ sub: BOB, [API_TOKEN_ID_CLAIM]: token.id }),
      ).toString('base64url');
      const exchanged = caller(BOB, {
        authorization: `Bearer eyJhbGciOiJFUzI1NiJ9.${claims}.sig`,
      });
      expect(await tokens.getCallerToken(exchanged)).toEqual(token);
    });

    it('answers NotFound for other requests, and refuses unknown tokens', async () => {
      await expect(tokens.getCallerToken(caller(BOB))).rejects.toThrow(
        NotFoundError,
      );
      await expect(
        tokens.getCallerToken(
          caller(BOB, { authorization: `Bearer ${generateApiToken()}` }),
        ),
      ).rejects.toThrow(new AuthenticationError('Invalid API token'));
    });
  });

  it('tells the lifetimes tokens issued now get', async () => {
    await expect(tokens.limits()).resolves.toEqual({
      permanentMaxExpiresAt: new Date('2027-06-01T12:00:00.000Z'),
      temporaryLifetimeMs: 8 * HOUR_MS,
    });
  });
});
