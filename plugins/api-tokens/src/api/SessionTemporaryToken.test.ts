import {
  ApiToken,
  CreatedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { makeCreated } from '../__testUtils__/fixtures';
import { SessionTemporaryToken, TabLocks } from './SessionTemporaryToken';

const jane = 'user:default/jane';
const bob = 'user:default/bob';

function stored(userRef: string) {
  const text = window.localStorage.getItem(
    SessionTemporaryToken.storageKey(userRef),
  );
  return text ? JSON.parse(text) : undefined;
}

function store(userRef: string, created: CreatedApiToken) {
  window.localStorage.setItem(
    SessionTemporaryToken.storageKey(userRef),
    JSON.stringify({
      id: created.token.id,
      secret: created.secret,
      expiresAt: created.token.expiresAt,
    }),
  );
}

/** Exclusive locks shared by every "tab" of a test, as `navigator.locks` is. */
function fakeLocks(): TabLocks {
  const queues = new Map<string, Promise<unknown>>();
  return {
    request(name, callback) {
      const previous = queues.get(name) ?? Promise.resolve();
      const run = previous.then(callback, callback);
      queues.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}

describe('SessionTemporaryToken', () => {
  const first = makeCreated(
    { id: 'temp-1', kind: 'temporary' },
    'bsat_first000000000000000000000000000000000',
  );
  const second = makeCreated(
    { id: 'temp-2', kind: 'temporary' },
    'bsat_second00000000000000000000000000000000',
  );

  let create: jest.Mock<Promise<CreatedApiToken>, []>;
  let check: jest.Mock<Promise<ApiToken | undefined>, [string]>;
  let revoke: jest.Mock<Promise<void>, [string]>;

  // One instance per page load; they share the browser's storage.
  function pageLoad(locks?: TabLocks) {
    return new SessionTemporaryToken({
      storage: window.localStorage,
      create,
      check,
      revoke,
      locks,
    });
  }

  beforeEach(() => {
    window.localStorage.clear();
    create = jest
      .fn()
      .mockResolvedValueOnce(first)
      .mockResolvedValueOnce(second);
    // The backend accepts the secrets it issued.
    check = jest.fn(
      async secret => [first, second].find(c => c.secret === secret)?.token,
    );
    revoke = jest.fn().mockResolvedValue(undefined);
  });

  it('stores id, secret and expiry under the user, and reuses them after a reload', async () => {
    await expect(pageLoad().get(jane)).resolves.toEqual(first);
    expect(stored(jane)).toEqual({
      id: 'temp-1',
      secret: first.secret,
      expiresAt: first.token.expiresAt,
    });

    await expect(pageLoad().get(jane)).resolves.toEqual(first);
    expect(create).toHaveBeenCalledTimes(1);
    expect(check).toHaveBeenCalledWith(first.secret);
  });

  it('creates once for callers in one tab that ask at the same time', async () => {
    const tokens = pageLoad();
    const answers = await Promise.all([tokens.get(jane), tokens.get(jane)]);
    expect(answers).toEqual([first, first]);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('creates once for tabs that open at the same time, with locks', async () => {
    const locks = fakeLocks();
    const answers = await Promise.all([
      pageLoad(locks).get(jane),
      pageLoad(locks).get(jane),
      pageLoad(locks).get(jane),
    ]);
    expect(answers).toEqual([first, first, first]);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("never reads another user's entry", async () => {
    store(bob, makeCreated({ id: 'bob-1', ownerRef: bob }, 'bsat_bob'));
    const getItem = jest.spyOn(Storage.prototype, 'getItem');
    try {
      await expect(pageLoad().get(jane)).resolves.toEqual(first);
      expect(getItem.mock.calls.map(([key]) => key)).not.toContain(
        SessionTemporaryToken.storageKey(bob),
      );
    } finally {
      getItem.mockRestore();
    }
    expect(check).not.toHaveBeenCalled();
    expect(stored(bob).secret).toBe('bsat_bob');
  });

  it.each([
    ['an expired token', DateTime.now().minus({ minutes: 1 })],
    ['a token about to expire', DateTime.now().plus({ minutes: 2 })],
  ])('replaces %s without asking the backend', async (_case, expiresAt) => {
    store(
      jane,
      makeCreated({ id: 'old', expiresAt: expiresAt.toISO()! }, 'bsat_old'),
    );
    await expect(pageLoad().get(jane)).resolves.toEqual(first);
    expect(check).not.toHaveBeenCalled();
    expect(stored(jane).id).toBe('temp-1');
  });

  it('replaces a token the backend refuses', async () => {
    store(jane, first);
    check.mockResolvedValueOnce(undefined);
    await expect(pageLoad().get(jane)).resolves.toEqual(first);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("replaces a token the backend says is someone else's or revoked", async () => {
    store(jane, first);
    check
      .mockResolvedValueOnce({ ...first.token, ownerRef: bob })
      .mockResolvedValueOnce({ ...first.token, state: 'revoked' });
    await expect(pageLoad().get(jane)).resolves.toEqual(first);
    await expect(pageLoad().get(jane)).resolves.toEqual(second);
  });

  it('does not mint when the backend cannot be asked', async () => {
    store(jane, first);
    check.mockRejectedValueOnce(new Error('offline'));
    await expect(pageLoad().get(jane)).rejects.toThrow('offline');
    expect(create).not.toHaveBeenCalled();
    await expect(pageLoad().get(jane)).resolves.toEqual(first);
  });

  it('replaces an unreadable entry and tries again after a failure', async () => {
    window.localStorage.setItem(
      SessionTemporaryToken.storageKey(jane),
      '{oops',
    );
    create.mockReset();
    create.mockRejectedValueOnce(new Error('offline')).mockResolvedValue(first);
    const tokens = pageLoad();
    await expect(tokens.get(jane)).rejects.toThrow('offline');
    await expect(tokens.get(jane)).resolves.toEqual(first);
  });

  it('forgets the stored token only if it is the one named', async () => {
    store(jane, first);
    pageLoad().forget(jane, 'temp-2');
    expect(stored(jane)).toBeDefined();
    pageLoad().forget(jane, 'temp-1');
    expect(stored(jane)).toBeUndefined();
  });

  it('on sign-out removes every stored secret and revokes the user’s token', async () => {
    store(jane, first);
    store(bob, second);
    window.localStorage.setItem('unrelated', 'kept');
    await pageLoad().revokeAndClear(jane);
    expect(revoke).toHaveBeenCalledWith('temp-1');
    expect(revoke).toHaveBeenCalledTimes(1);
    expect(stored(jane)).toBeUndefined();
    expect(stored(bob)).toBeUndefined();
    expect(window.localStorage.getItem('unrelated')).toBe('kept');
  });

  it('on sign-out removes the secret even when the revoke fails', async () => {
    store(jane, first);
    revoke.mockRejectedValueOnce(new Error('offline'));
    await expect(pageLoad().revokeAndClear(jane)).rejects.toThrow('offline');
    expect(stored(jane)).toBeUndefined();
  });
});
