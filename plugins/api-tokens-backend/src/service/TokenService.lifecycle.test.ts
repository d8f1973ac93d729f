import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DAY_MS,
  HOUR_MS,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { API_TOKEN_ACTOR_SUBJECT } from '@nholuongut/backstage-plugin-api-tokens-node';
import { ApiTokenRevocationSignal } from '@nholuongut/backstage-plugin-api-tokens-node';
import { Knex } from 'knex';
import {
  ALICE,
  BOB,
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
import { InstalledPermissions } from './InstalledPermissions';
import { PermissionProbe } from './PermissionProbe';
import { TokenDigester } from './TokenDigester';
import { TokenLifetimes } from './TokenLifetimes';
import { TokenService } from './TokenService';

// Rotation, the lifetime policy and usage forensics of TokenService, on a
// clock the tests move.

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const START = new Date('2026-06-01T12:00:00.000Z');
const at = (ms: number) => new Date(START.getTime() + ms);
const authPlugin = mockCredentials.service('plugin:auth');
const catalogPlugin = mockCredentials.service('plugin:catalog');

function caller(userRef: string, options: { actor?: string } = {}): Caller {
  return {
    credentials: mockCredentials.user(
      userRef,
      options.actor ? { actor: { subject: options.actor } } : undefined,
    ),
    request: { headers: {} } as unknown as Request,
  };
}

/** Lets the writes that happen after an answer land. */
const afterTheAnswer = () => new Promise(resolve => setTimeout(resolve, 50));

describe.each(databases.eachSupportedId())(
  'TokenService lifecycle on %s',
  databaseId => {
    let knex: Knex;
    let time: Date;
    let auditor: ReturnType<typeof mockServices.auditor.mock>;
    let settings: DatabaseSettingsStore;
    let faults: DatabaseFaultLedger;
    let tokens: TokenService;

    const createTokens = (permanentMax = 365 * DAY_MS) =>
      new TokenService({
        store: new DatabaseApiTokensStore(knex),
        digester: new TokenDigester(),
        lifetimes: new TokenLifetimes(permanentMax, 8 * HOUR_MS),
        settings,
        faults,
        maxActiveTemporaryTokens: 3,
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

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    });

    beforeEach(async () => {
      await knex('api_token_faults').delete();
      await knex('api_token_settings').delete();
      await knex('api_tokens').delete();
      time = START;
      auditor = mockServices.auditor.mock();
      settings = new DatabaseSettingsStore(knex);
      faults = new DatabaseFaultLedger(knex, new DatabaseEmailOutbox(knex));
      tokens = createTokens();
    });

    const issue = (expiresAt?: string) =>
      tokens.issue(caller(ALICE), {
        kind: 'permanent',
        userRef: BOB,
        name: 'CI deploys',
        expiresAt,
      });

    const adminList = async () =>
      (await tokens.list(caller(ALICE), { userRef: BOB })).items;

    describe('rotate', () => {
      it('replaces a token by one with the same grant; both work during the overlap, the old one not after it', async () => {
        const old = await issue();
        time = at(HOUR_MS);
        const rotated = await tokens.rotate(caller(ALICE), old.token.id, {
          overlapHours: 2,
        });

        expect(rotated.token).toMatchObject({
          name: 'CI deploys',
          kind: 'permanent',
          ownerRef: BOB,
          createdBy: ALICE,
          createdAt: at(HOUR_MS),
          expiresAt: new Date(at(HOUR_MS).getTime() + 365 * DAY_MS),
          rotatedFrom: old.token.id,
        });
        expect(rotated.secret).not.toBe(old.secret);
        expect(rotated.replaced).toMatchObject({
          id: old.token.id,
          rotatedTo: rotated.token.id,
          expiresAt: at(3 * HOUR_MS),
        });
        const listed = await adminList();
        expect(listed.map(t => [t.id, t.rotatedFrom, t.rotatedTo])).toEqual([
          [rotated.token.id, old.token.id, undefined],
          [old.token.id, undefined, rotated.token.id],
        ]);

        time = at(3 * HOUR_MS - 1);
        await expect(tokens.verify(authPlugin, old.secret)).resolves.toEqual(
          expect.objectContaining({ expiresAt: at(3 * HOUR_MS) }),
        );
        await expect(
          tokens.verify(authPlugin, rotated.secret),
        ).resolves.toBeDefined();

        time = at(3 * HOUR_MS);
        await expect(tokens.verify(authPlugin, old.secret)).rejects.toThrow(
          new AuthenticationError('API token has expired'),
        );
        await expect(
          tokens.verify(authPlugin, rotated.secret),
        ).resolves.toBeDefined();
      });

      it('copies the scope to the successor', async () => {
        const scoped = await tokens.issue(caller(ALICE), {
          kind: 'permanent',
          userRef: BOB,
          name: 'read-only CI',
          scope: { readOnly: true },
        });
        const rotated = await tokens.rotate(caller(ALICE), scoped.token.id);
        expect(rotated.token.scope).toEqual({ readOnly: true });
        const listed = (await adminList()).find(t => t.id === rotated.token.id);
        expect(listed?.scope).toEqual({ readOnly: true });
      });

      it('overlaps 24 hours by default, keeps an earlier expiry, and takes an expiry for the new token', async () => {
        const soon = await issue('2026-06-01T18:00:00Z');
        const rotated = await tokens.rotate(caller(ALICE), soon.token.id, {
          expiresAt: '2026-09-01T00:00:00Z',
        });
        expect(rotated.replaced.expiresAt).toEqual(
          new Date('2026-06-01T18:00:00Z'),
        );
        expect(rotated.token.expiresAt).toEqual(
          new Date('2026-09-01T00:00:00Z'),
        );

        const later = await issue();
        const again = await tokens.rotate(caller(ALICE), later.token.id);
        expect(again.replaced.expiresAt).toEqual(at(24 * HOUR_MS));
      });

      it('answers 409 for a revoked, expired, already rotated or temporary token, storing nothing', async () => {
        const revoked = await issue();
        await tokens.revoke(caller(ALICE), revoked.token.id);
        const expiring = await issue('2026-06-02T00:00:00Z');
        const rotatedOnce = await issue();
        await tokens.rotate(caller(ALICE), rotatedOnce.token.id);
        const temporary = await tokens.issue(caller(BOB), {
          kind: 'temporary',
        });
        time = new Date('2026-06-02T00:00:00Z');
        const count = async () =>
          Number((await knex('api_tokens').count({ n: '*' }))[0].n);
        const before = await count();

        for (const [id, message] of [
          [revoked.token.id, /has been revoked/],
          [expiring.token.id, /has expired/],
          [rotatedOnce.token.id, /rotated already/],
          [temporary.token.id, /Only permanent tokens/],
        ] as const) {
          const rotation = tokens.rotate(caller(ALICE), id);
          await expect(rotation).rejects.toThrow(ConflictError);
          await expect(tokens.rotate(caller(ALICE), id)).rejects.toThrow(
            message,
          );
        }
        expect(await count()).toBe(before);
      });

      it('lets two concurrent rotations of one token make one successor', async () => {
        const old = await issue();
        const results = await Promise.allSettled([
          tokens.rotate(caller(ALICE), old.token.id),
          tokens.rotate(caller(ALICE), old.token.id),
        ]);
        expect(results.map(r => r.status).sort()).toEqual([
          'fulfilled',
          'rejected',
        ]);
        expect(await adminList()).toHaveLength(2);
      });

      it('is refused without the rotate permission, with an API token, and for unknown ids', async () => {
        const old = await issue();
        for (const refused of [
          caller(BOB),
          caller(DAN),
          caller(ALICE, { actor: API_TOKEN_ACTOR_SUBJECT }),
        ]) {
          await expect(tokens.rotate(refused, old.token.id)).rejects.toThrow(
            NotAllowedError,
          );
        }
        await expect(
          tokens.rotate(caller(ALICE), '00000000-0000-4000-8000-000000000000'),
        ).rejects.toThrow(NotFoundError);
        expect((await adminList()).map(t => t.rotatedTo)).toEqual([undefined]);
      });

      it('refuses an overlap out of range and an expiry beyond the policy', async () => {
        const old = await issue();
        for (const overlapHours of [-1, 169, Number.NaN]) {
          await expect(
            tokens.rotate(caller(ALICE), old.token.id, { overlapHours }),
          ).rejects.toThrow(/overlapHours/);
        }
        await expect(
          tokens.rotate(caller(ALICE), old.token.id, {
            expiresAt: '2027-06-02T00:00:00Z',
          }),
        ).rejects.toThrow(InputError);
      });

      it('resolves the open faults of the old token, and is audited', async () => {
        const old = await issue('2026-06-05T00:00:00Z');
        await faults.raiseFaults({
          tokens: [
            {
              id: old.token.id,
              name: old.token.name,
              ownerRef: BOB,
              expiresAt: old.token.expiresAt,
            },
          ],
          thresholdDays: 7,
          raisedAt: START,
          emailRecipients: [],
        });
        const rotated = await tokens.rotate(caller(ALICE), old.token.id);

        const { items } = await faults.listFaults({ limit: 10 });
        expect(items.map(f => [f.tokenId, f.status, f.resolution])).toEqual([
          [old.token.id, 'resolved', 'rotated'],
        ]);
        const rotateEvents = auditor.createEvent.mock.calls.filter(
          ([event]) => event.eventId === 'token-rotate',
        );
        expect(rotateEvents).toHaveLength(1);
        expect(rotateEvents[0][0].meta).toEqual({
          tokenId: old.token.id,
          overlapHours: null,
        });
        const event = await auditor.createEvent.mock.results[
          auditor.createEvent.mock.calls.indexOf(rotateEvents[0])
        ].value;
        expect(event.success).toHaveBeenCalledWith({
          meta: {
            ownerRef: BOB,
            newTokenId: rotated.token.id,
            replacedExpiresAt: '2026-06-02T12:00:00.000Z',
          },
        });
      });
    });

    describe('the lifetime policy', () => {
      const putMaximum = (value: string) =>
        settings.putSetting({
          key: 'MaximumTokenLifetimeDays',
          value,
          updatedAt: START,
          updatedBy: ALICE,
        });

      it('bounds creation, rotation and the limits by MaximumTokenLifetimeDays', async () => {
        await putMaximum('30');
        const thirtyDays = at(30 * DAY_MS);

        await expect(tokens.limits()).resolves.toMatchObject({
          permanentMaxExpiresAt: thirtyDays,
        });
        expect((await issue()).token.expiresAt).toEqual(thirtyDays);
        await expect(issue('2026-07-01T12:00:01Z')).rejects.toThrow(
          new InputError(
            `expiresAt must be no later than ${thirtyDays.toISOString()}, the maximum lifetime of a permanent token`,
          ),
        );
        const old = await issue('2026-06-10T00:00:00Z');
        expect(
          (await tokens.rotate(caller(ALICE), old.token.id)).token.expiresAt,
        ).toEqual(thirtyDays);
      });

      it('takes the smaller of app-config and the setting', async () => {
        tokens = createTokens(10 * DAY_MS);
        await putMaximum('30');
        expect((await issue()).token.expiresAt).toEqual(at(10 * DAY_MS));
        await putMaximum('5');
        expect((await issue()).token.expiresAt).toEqual(at(5 * DAY_MS));
      });
    });

    describe('usage forensics', () => {
      // Uses are written after the answer: wait until one shows.
      const eventually = async (written: () => Promise<boolean>) => {
        for (let attempt = 0; attempt < 500; attempt++) {
          if (await written()) {
            return;
          }
          await new Promise(resolve => setTimeout(resolve, 10));
        }
        throw new Error('The use was never recorded');
      };
      const report = (address: string, userAgent = 'curl/8.5.0') => ({
        tokenId: '',
        address,
        userAgent,
      });

      it('records the last 5 client addresses of a token, once a minute per address, for admins', async () => {
        const { token } = await issue();
        const use = (address: string, userAgent?: string) =>
          tokens.recordClientUses(catalogPlugin, [
            { ...report(address, userAgent), tokenId: token.id },
          ]);

        const recorded = (address: string) =>
          eventually(async () =>
            Boolean(
              (await adminList())[0].recentClients?.some(
                c => c.address === address,
              ),
            ),
          );

        use('10.0.0.1', 'curl/8.5.0');
        await recorded('10.0.0.1');
        time = at(30_000);
        use('10.0.0.1', 'curl/9.0.0');
        await afterTheAnswer();
        const [listed] = await adminList();
        expect(listed.recentClients).toEqual([
          { address: '10.0.0.1', userAgent: 'curl/8.5.0', lastUsedAt: at(0) },
        ]);
        expect(listed.lastUsedAt).toEqual(at(0));

        for (let i = 2; i <= 7; i++) {
          time = at(i * 60_000);
          use(`10.0.0.${i}`, `agent-${i}`);
          await recorded(`10.0.0.${i}`);
        }
        const [after] = await adminList();
        expect(after.recentClients?.map(c => c.address)).toEqual([
          '10.0.0.7',
          '10.0.0.6',
          '10.0.0.5',
          '10.0.0.4',
          '10.0.0.3',
        ]);
        expect(after.lastUsedAt).toEqual(at(7 * 60_000));
        // Owners see their tokens, but not where they are used from.
        const [own] = (await tokens.list(caller(BOB), {})).items;
        expect(own.recentClients).toBeUndefined();
      });

      it('takes reports from backend plugins only', async () => {
        const { token } = await issue();
        expect(() =>
          tokens.recordClientUses(mockCredentials.service('external:ci'), [
            { ...report('10.0.0.1'), tokenId: token.id },
          ]),
        ).toThrow(NotAllowedError);
        await afterTheAnswer();
        const [listed] = await adminList();
        expect(listed.recentClients).toEqual([]);
        expect(listed.lastUsedAt).toBeUndefined();
      });

      it('filters the admin listing by days without use', async () => {
        const { token: used } = await issue();
        const { token: neverUsed } = await issue();
        time = at(10 * DAY_MS);
        tokens.recordClientUses(catalogPlugin, [
          { ...report('10.0.0.1'), tokenId: used.id },
        ]);
        await eventually(async () =>
          (
            await tokens.list(caller(ALICE), { userRef: BOB })
          ).items.some(t => t.id === used.id && t.lastUsedAt !== undefined),
        );
        time = at(45 * DAY_MS);

        const unused = async (days: number) =>
          (
            await tokens.list(caller(ALICE), {
              userRef: BOB,
              unusedForDays: days,
            })
          ).items.map(t => t.id);
        expect(await unused(40)).toEqual([neverUsed.id]);
        expect((await unused(35)).sort()).toEqual(
          [used.id, neverUsed.id].sort(),
        );
        expect(await unused(46)).toEqual([]);
      });
    });
  },
);
