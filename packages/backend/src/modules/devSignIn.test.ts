import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import devSignIn from './devSignIn';

const catalog = catalogServiceMock.factory({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'alice', namespace: 'default' },
      spec: { memberOf: ['admins'] },
    },
  ],
});

function backendWith(auth: object) {
  return startTestBackend({
    features: [
      authPlugin,
      devSignIn,
      catalog,
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://localhost:3000' }, auth },
      }),
    ],
  });
}

describe('dev sign-in', () => {
  it('signs in the user named by the x-dev-user header in development', async () => {
    const { server } = await backendWith({
      environment: 'development',
      providers: { dev: { development: {} } },
    });
    const response = await request(server)
      .get('/api/auth/dev/refresh')
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('x-dev-user', 'alice');
    expect(response.status).toBe(200);
    expect(response.body.backstageIdentity.identity).toMatchObject({
      userEntityRef: 'user:default/alice',
    });
    expect(response.body.backstageIdentity.token).toEqual(expect.any(String));

    const unknown = await request(server)
      .get('/api/auth/dev/refresh')
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('x-dev-user', 'mallory');
    expect(unknown.status).toBe(404);
  });

  it('is not offered in production', async () => {
    const { server } = await backendWith({
      environment: 'production',
      providers: { dev: { development: {} } },
    });
    const response = await request(server)
      .get('/api/auth/dev/refresh')
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('x-dev-user', 'alice');
    expect(response.status).toBe(404);
  });

  it('refuses to start when configured for production', async () => {
    await expect(
      backendWith({
        environment: 'production',
        providers: { dev: { production: {} } },
      }),
    ).rejects.toThrow(/signs in anyone without a password/);
  });
});
