import { DateTime } from 'luxon';
import { makeCreated } from '../__testUtils__/fixtures';
import { SessionTemporaryToken } from './SessionTemporaryToken';

const jane = 'user:default/jane';

function stored() {
  const text = window.sessionStorage.getItem(SessionTemporaryToken.storageKey);
  return text ? JSON.parse(text) : undefined;
}

describe('SessionTemporaryToken', () => {
  const first = makeCreated({ id: 'temp-1', kind: 'temporary' });
  const second = makeCreated({ id: 'temp-2', kind: 'temporary' });

  function session(create: jest.Mock) {
    return new SessionTemporaryToken({
      create,
      storage: window.sessionStorage,
    });
  }

  beforeEach(() => window.sessionStorage.clear());

  it('creates one token per browser session, also across reloads', async () => {
    const create = jest.fn().mockResolvedValue(first);
    await expect(session(create).get(jane)).resolves.toEqual(first);
    expect(stored()).toEqual(first);
    // A reload makes a new instance over the same session storage.
    await expect(session(create).get(jane)).resolves.toEqual(first);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('creates once for callers that ask at the same time', async () => {
    const create = jest.fn().mockResolvedValue(first);
    const tokens = session(create);
    const answers = await Promise.all([tokens.get(jane), tokens.get(jane)]);
    expect(answers).toEqual([first, first]);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["another user's token", makeCreated({ ownerRef: 'user:default/bob' })],
    [
      'a token about to expire',
      makeCreated({ expiresAt: DateTime.now().plus({ seconds: 30 }).toISO()! }),
    ],
    [
      'an expired token',
      makeCreated({ expiresAt: DateTime.now().minus({ minutes: 1 }).toISO()! }),
    ],
  ])('does not reuse %s', async (_case, old) => {
    window.sessionStorage.setItem(
      SessionTemporaryToken.storageKey,
      JSON.stringify(old),
    );
    const create = jest.fn().mockResolvedValue(first);
    await expect(session(create).get(jane)).resolves.toEqual(first);
    expect(stored()).toEqual(first);
  });

  it('creates a new token once the old one is forgotten', async () => {
    const create = jest
      .fn()
      .mockResolvedValueOnce(first)
      .mockResolvedValue(second);
    const tokens = session(create);
    await tokens.get(jane);
    tokens.forget();
    expect(stored()).toBeUndefined();
    await expect(tokens.get(jane)).resolves.toEqual(second);
  });

  it('replaces an unreadable entry and tries again after a failure', async () => {
    window.sessionStorage.setItem(SessionTemporaryToken.storageKey, '{oops');
    const create = jest
      .fn()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValue(first);
    const tokens = session(create);
    await expect(tokens.get(jane)).rejects.toThrow('offline');
    await expect(tokens.get(jane)).resolves.toEqual(first);
  });
});
