import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { InputError, NotAllowedError } from '@backstage/errors';
import { DAY_MS } from '@internal/plugin-api-tokens-common';
import {
  ALICE,
  BOB,
  CAROL,
  DAN,
  testPermissions,
} from '../__testUtils__/testPolicy';
import {
  createExpiryCheck,
  ExpiryTestDatabase,
  TestClock,
} from '../tests/__testUtils__/expiryFixtures';
import { Authorizer } from './Authorizer';
import { Caller, Request } from './Caller';
import { FaultService } from './FaultService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const caller = (userRef: string): Caller => ({
  credentials: mockCredentials.user(userRef),
  request: { headers: {} } as unknown as Request,
});

describe.each(databases.eachSupportedId())('FaultService on %s', databaseId => {
  let db: ExpiryTestDatabase;
  let faults: FaultService;

  beforeAll(async () => {
    db = await ExpiryTestDatabase.create(await databases.init(databaseId));
  });

  beforeEach(async () => {
    await db.clear();
    const clock = new TestClock(new Date());
    faults = new FaultService({
      ledger: db.faults,
      expiryCheck: createExpiryCheck({ db, clock }),
      authorizer: new Authorizer(testPermissions),
    });
  });

  it('runs the check for admins, and shows each user the faults of their own tokens', async () => {
    const bobs = await db.createToken({
      ownerRef: BOB,
      expiresAt: new Date(Date.now() + 3 * DAY_MS),
    });
    await db.createToken({
      ownerRef: CAROL,
      expiresAt: new Date(Date.now() + 3 * DAY_MS),
    });

    await expect(faults.runExpiryCheck(caller(BOB))).rejects.toThrow(
      NotAllowedError,
    );
    const result = await faults.runExpiryCheck(caller(ALICE));
    expect(result.raised).toHaveLength(2);

    expect(
      (await faults.listOwn(caller(BOB))).map(fault => fault.tokenId),
    ).toEqual([bobs.id]);
  });

  it('lets a reader of faults read them but not run the check, which writes faults and sends emails', async () => {
    await db.createToken({
      ownerRef: BOB,
      expiresAt: new Date(Date.now() + 3 * DAY_MS),
    });

    await expect(faults.runExpiryCheck(caller(DAN))).rejects.toThrow(
      new NotAllowedError(
        'You are not allowed to do this (api-tokens.faults.run)',
      ),
    );
    expect((await faults.list(caller(DAN), {})).items).toEqual([]);

    await faults.runExpiryCheck(caller(ALICE));
    expect((await faults.list(caller(DAN), {})).items).toHaveLength(1);
  });

  it('lists every fault for admins, by owner and status', async () => {
    await db.createToken({
      ownerRef: BOB,
      expiresAt: new Date(Date.now() + 3 * DAY_MS),
    });
    await faults.runExpiryCheck(caller(ALICE));

    const all = await faults.list(caller(ALICE), {});
    expect(all.items).toHaveLength(1);
    expect(
      (await faults.list(caller(ALICE), { ownerRef: 'bob', status: 'open' }))
        .items,
    ).toEqual(all.items);
    expect(
      (await faults.list(caller(ALICE), { ownerRef: CAROL })).items,
    ).toEqual([]);
    await expect(
      faults.list(caller(ALICE), { ownerRef: 'group:default/admins' }),
    ).rejects.toThrow(
      new InputError('ownerRef must refer to a User, not a group'),
    );
    await expect(faults.list(caller(BOB), {})).rejects.toThrow(NotAllowedError);
  });
});
