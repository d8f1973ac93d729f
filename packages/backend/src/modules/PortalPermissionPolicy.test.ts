import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  apiTokensCreatePermission,
  apiTokensPermissions,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { PortalPermissionPolicy } from './PortalPermissionPolicy';

const catalogRead = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
});
const catalogDelete = createPermission({
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
});

function policyFor(adminGroups?: string[]) {
  const userInfo = mockServices.userInfo({
    ownershipEntityRefs: [],
  });
  // Alice is in admins, bob in engineering, as in examples/org.yaml.
  jest.spyOn(userInfo, 'getUserInfo').mockImplementation(async credentials => {
    const userEntityRef = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    const group = userEntityRef.endsWith('/alice')
      ? 'group:default/admins'
      : 'group:default/engineering';
    return { userEntityRef, ownershipEntityRefs: [userEntityRef, group] };
  });
  return PortalPermissionPolicy.fromConfig(
    new ConfigReader(adminGroups ? { apiTokens: { adminGroups } } : {}),
    userInfo,
  );
}

function user(name: string) {
  const credentials = mockCredentials.user(`user:default/${name}`);
  return {
    credentials,
    info: { userEntityRef: `user:default/${name}`, ownershipEntityRefs: [] },
  };
}

describe('PortalPermissionPolicy', () => {
  it.each(apiTokensPermissions.map(p => [p.name, p]))(
    'grants %s to admins only',
    async (_name, permission) => {
      const policy = policyFor();
      await expect(
        policy.handle({ permission }, user('alice')),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
      await expect(policy.handle({ permission }, user('bob'))).resolves.toEqual(
        { result: AuthorizeResult.DENY },
      );
    },
  );

  it('denies catalog.entity.delete to non-admins and allows the rest', async () => {
    const policy = policyFor();
    await expect(
      policy.handle({ permission: catalogDelete }, user('bob')),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: catalogDelete }, user('alice')),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: catalogRead }, user('bob')),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('reads the admin groups from apiTokens.adminGroups', async () => {
    const policy = policyFor(['group:default/engineering']);
    await expect(
      policy.handle({ permission: apiTokensCreatePermission }, user('bob')),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: apiTokensCreatePermission }, user('alice')),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies admin permissions to requests without a user', async () => {
    await expect(
      policyFor().handle({ permission: apiTokensCreatePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});
