import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { apiTokensPermissions } from '@internal/plugin-api-tokens-common';
import { DatabaseApiTokensStore } from './database/DatabaseApiTokensStore';
import { applyDatabaseMigrations } from './database/migrations';
import { createRouter } from './service/router';
import { TokenDigester } from './service/TokenDigester';
import { TokenLifetimes } from './service/TokenLifetimes';

/**
 * The API tokens backend plugin.
 *
 * @public
 */
export const apiTokensPlugin = createBackendPlugin({
  pluginId: 'api-tokens',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        auditor,
        catalog,
      }) {
        permissionsRegistry.addPermissions(apiTokensPermissions);
        const store = new DatabaseApiTokensStore(
          await applyDatabaseMigrations(database),
        );
        httpRouter.use(
          await createRouter({
            store,
            digester: TokenDigester.fromConfig(config),
            lifetimes: TokenLifetimes.fromConfig(config),
            httpAuth,
            permissions,
            auditor,
            logger,
            catalog,
          }),
        );
      },
    });
  },
});
