import { StoredApiToken } from '../database/ApiTokensStore';
import { toApiToken } from './toApiToken';

const token: StoredApiToken = {
  id: '6f1c9f3e-7a55-4e7b-9a51-0d8f1f2a3b4c',
  name: 'CI',
  kind: 'permanent',
  ownerRef: 'user:default/bob',
  createdBy: 'user:default/alice',
  createdAt: new Date('2026-06-01T00:00:00Z'),
  expiresAt: new Date('2026-07-01T00:00:00Z'),
  hint: 'a1B2',
  scope: { plugins: ['catalog'], readOnly: true },
};

describe('toApiToken', () => {
  it('tells the state of a token at a time', () => {
    const before = new Date('2026-06-30T23:59:59Z');
    expect(toApiToken(token, before)).toEqual({
      ...token,
      createdAt: '2026-06-01T00:00:00.000Z',
      expiresAt: '2026-07-01T00:00:00.000Z',
      lastUsedAt: null,
      revokedAt: null,
      revokedBy: null,
      state: 'active',
    });
    expect(toApiToken(token, token.expiresAt).state).toBe('expired');
    const revoked = {
      ...token,
      revokedAt: new Date('2026-06-02T00:00:00Z'),
      revokedBy: 'user:default/bob',
    };
    expect(toApiToken(revoked, before)).toMatchObject({
      state: 'revoked',
      revokedAt: '2026-06-02T00:00:00.000Z',
      revokedBy: 'user:default/bob',
    });
  });
});
