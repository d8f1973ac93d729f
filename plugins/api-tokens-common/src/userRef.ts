import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { isWellFormedApiToken } from './TokenFormat';

/**
 * A user reference as the plugin stores and compares it: a full ref
 * (`user:default/jane`) or a name in the default namespace (`jane`), in
 * lower case. Throws `InputError` naming `field` when the value is not a
 * user ref; the value itself is never repeated, since a secret pasted in the
 * wrong place must not be echoed.
 *
 * @public
 */
export function parseUserRef(value: string, field = 'userRef'): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(
      `${field} must be a user entity ref such as user:default/jane`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new InputError(`${field} must refer to a User, not a ${ref.kind}`);
  }
  if (!/^[A-Za-z0-9._-]{1,63}$/.test(ref.name) || ref.namespace.length > 63) {
    throw new InputError(`${field} has an invalid name`);
  }
  if (isWellFormedApiToken(ref.name)) {
    throw new InputError(`${field} must name a user, not an API token`);
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}
