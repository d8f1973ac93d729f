import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { ALICE, BOB, testPermissions } from '../__testUtils__/testPolicy';
import { DatabaseSettingsStore } from '../database/DatabaseSettingsStore';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { Authorizer } from './Authorizer';
import { Caller, Request } from './Caller';
import { SettingsService } from './SettingsService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAYS = 'EnableUserTokenNotification';
const EMAILS = 'UserTokenExpirationNotificationEmails';

const caller = (userRef: string): Caller => ({
  credentials: mockCredentials.user(userRef),
  request: { headers: {} } as unknown as Request,
});

describe.each(databases.eachSupportedId())(
  'SettingsService on %s',
  databaseId => {
    let knex: Knex;
    let auditor: ReturnType<typeof mockServices.auditor.mock>;
    let settings: SettingsService;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    });

    beforeEach(async () => {
      await knex('api_token_settings').delete();
      auditor = mockServices.auditor.mock();
      settings = new SettingsService({
        store: new DatabaseSettingsStore(knex),
        authorizer: new Authorizer(testPermissions),
        auditor,
        now: () => NOW,
      });
    });

    it('stores a trimmed, valid value for an admin, and lists it', async () => {
      const stored = await settings.put(caller(ALICE), DAYS, ' 30;7;1 ');
      expect(stored).toEqual({
        key: DAYS,
        value: '30;7;1',
        updatedAt: NOW,
        updatedBy: ALICE,
      });
      expect(await settings.list(caller(ALICE))).toEqual([stored]);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'settings-update',
          meta: { key: DAYS, action: 'put' },
        }),
      );
    });

    it.each([
      [DAYS, '0'],
      [DAYS, '30;;7'],
      [EMAILS, 'not-an-email'],
      [EMAILS, 'ops@example.com;'],
    ] as const)('refuses %s = %j, naming the key', async (key, value) => {
      await expect(settings.put(caller(ALICE), key, value)).rejects.toThrow(
        InputError,
      );
      await expect(settings.put(caller(ALICE), key, value)).rejects.toThrow(
        key,
      );
      expect(await settings.list(caller(ALICE))).toEqual([]);
    });

    it('lets only admins read and change settings', async () => {
      await expect(settings.list(caller(BOB))).rejects.toThrow(NotAllowedError);
      await expect(settings.put(caller(BOB), DAYS, '5')).rejects.toThrow(
        NotAllowedError,
      );
      await expect(settings.delete(caller(BOB), DAYS)).rejects.toThrow(
        NotAllowedError,
      );
    });

    it('removes a setting, and says when it was not set', async () => {
      await settings.put(caller(ALICE), EMAILS, 'ops@example.com');
      await settings.delete(caller(ALICE), EMAILS);
      expect(await settings.list(caller(ALICE))).toEqual([]);
      await expect(settings.delete(caller(ALICE), EMAILS)).rejects.toThrow(
        new NotFoundError(`Setting ${EMAILS} is not set`),
      );
    });
  },
);
