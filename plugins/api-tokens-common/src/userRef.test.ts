import { generateApiToken } from './TokenFormat';
import { parseUserRef } from './userRef';

describe('parseUserRef', () => {
  it('takes a full ref or a name in the default namespace, in lower case', () => {
    expect(parseUserRef('user:default/Jane')).toBe('user:default/jane');
    expect(parseUserRef('jane')).toBe('user:default/jane');
    expect(parseUserRef('User:Ops/ci-bot')).toBe('user:ops/ci-bot');
  });

  it('refuses other kinds, naming the field', () => {
    expect(() => parseUserRef('group:default/admins', 'ownerRef')).toThrow(
      'ownerRef must refer to a User, not a group',
    );
  });

  it('refuses what is not a ref', () => {
    expect(() => parseUserRef('')).toThrow(
      'userRef must be a user entity ref such as user:default/jane',
    );
    expect(() => parseUserRef('jane doe')).toThrow(
      'userRef has an invalid name',
    );
  });

  it('refuses an API token without repeating it', () => {
    const token = generateApiToken();
    let message = '';
    try {
      parseUserRef(token);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('userRef must name a user, not an API token');
  });
});
