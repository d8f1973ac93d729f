import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { apiTokensPermissions } from '@nholuongut/backstage-plugin-api-tokens-common';
import { ApiTokenRevocationSignal } from '@nholuongut/backstage-plugin-api-tokens-node';
import { DatabaseApiTokensStore } from './database/DatabaseApiTokensStore';
import { DatabaseEmailOutbox } from './database/DatabaseEmailOutbox';
import { DatabaseFaultLedger } from './database/DatabaseFaultLedger';
import { DatabaseLeakStore } from './database/DatabaseLeakStore';
import { DatabaseOwnerNoticeClaims } from './database/DatabaseOwnerNoticeClaims';
import { DatabaseSettingsStore } from './database/DatabaseSettingsStore';
import { DatabaseTokenInventory } from './database/DatabaseTokenInventory';
import { applyDatabaseMigrations } from './database/migrations';
import { SmtpEmailSender } from './expiry/EmailSender';
import { ExpiryCheck } from './expiry/ExpiryCheck';
import { ExpirySettings } from './expiry/ExpirySettings';
import { UnusedTokenRevoker } from './expiry/UnusedTokenRevoker';
import { Authorizer } from './service/Authorizer';
import { FaultService } from './service/FaultService';
import { LeakReportRateLimiter } from './service/LeakReportRateLimiter';
import { LeakReportVerifier } from './service/LeakReportVerifier';
import { LeakService } from './service/LeakService';
import { InventoryService } from './service/InventoryService';
import { createRouter } from './service/router';
import { SettingsService } from './service/SettingsService';
import { readMaxActiveTemporaryTokens } from './service/temporaryTokenCap';
import { TokenDigester } from './service/TokenDigester';
import { TokenLifetimes } from './service/TokenLifetimes';
import { InstalledPermissions } from './service/InstalledPermissions';
import { PermissionProbe } from './service/PermissionProbe';
import { TokenService } from './service/TokenService';

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
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        instanceMetadata: coreServices.rootInstanceMetadata,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
        scheduler: coreServices.scheduler,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        auth,
        discovery,
        instanceMetadata,
        database,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        auditor,
        cache,
        catalog,
        scheduler,
        notifications,
      }) {
        permissionsRegistry.addPermissions(apiTokensPermissions);
        const knex = await applyDatabaseMigrations(database);
        const store = new DatabaseApiTokensStore(knex);
        const settings = new DatabaseSettingsStore(knex);
        const outbox = new DatabaseEmailOutbox(knex);
        const faults = new DatabaseFaultLedger(knex, outbox);
        const expirySettings = ExpirySettings.fromConfig(config, settings);
        const emailSender = SmtpEmailSender.fromConfig(config);
        const expiryCheck = new ExpiryCheck({
          ledger: faults,
          ownerNotices: new DatabaseOwnerNoticeClaims(knex),
          outbox,
          usage: store,
          settings: expirySettings,
          emailSender,
          notifications,
          auditor,
          logger,
          adminUrl:
            config.getOptionalString('apiTokens.notifications.adminPageUrl') ??
            `${config.getString('app.baseUrl')}/api-tokens/admin/faults`,
        });

        await scheduler.scheduleTask({
          id: 'api-tokens-expiry-check',
          scope: 'global',
          frequency: config.has('apiTokens.expiryCheck.frequency')
            ? readDurationFromConfig(config, {
                key: 'apiTokens.expiryCheck.frequency',
              })
            : { hours: 1 },
          timeout: { minutes: 15 },
          fn: async () => {
            await expiryCheck.run();
            await store.deleteExpiredDerivedTokens(new Date());
          },
        });

        const unusedTokens = UnusedTokenRevoker.fromConfig(config, {
          store,
          auditor,
          notifications,
          logger,
        });
        if (unusedTokens) {
          await scheduler.scheduleTask({
            id: 'api-tokens-unused-revocation',
            scope: 'global',
            frequency: { days: 1 },
            timeout: { minutes: 15 },
            fn: async () => {
              await unusedTokens.run();
            },
          });
        }

        const authorizer = new Authorizer(permissions);
        const digester = TokenDigester.fromConfig(config, { logger });
        // Secret scanners sign their reports instead.
        httpRouter.addAuthPolicy({
          path: '/v1/leaks',
          allow: 'unauthenticated',
        });
        // Through `backend.cache`: shared by every replica with redis.
        const revocations = new ApiTokenRevocationSignal({ cache, logger });
        httpRouter.use(
          await createRouter({
            httpAuth,
            tokens: new TokenService({
              store,
              digester,
              lifetimes: TokenLifetimes.fromConfig(config),
              settings,
              faults,
              maxActiveTemporaryTokens: readMaxActiveTemporaryTokens(config),
              authorizer,
              auditor,
              catalog,
              logger,
              installedPermissions: new InstalledPermissions({
                instanceMetadata,
                discovery,
                auth,
                logger,
              }),
              permissionProbe: new PermissionProbe(discovery),
              requireScope:
                config.getOptionalBoolean('apiTokens.requireScope') ?? false,
              revocations,
            }),
            settings: new SettingsService({
              store: settings,
              authorizer,
              auditor,
            }),
            faults: new FaultService({
              ledger: faults,
              expiryCheck,
              authorizer,
              auditor,
            }),
            inventory: new InventoryService({
              inventory: new DatabaseTokenInventory(knex),
              clients: store,
              authorizer,
            }),
            leaks: new LeakService({
              store: new DatabaseLeakStore(knex, outbox),
              verifier: LeakReportVerifier.fromConfig(config),
              digester,
              authorizer,
              auditor,
              logger,
              emailRecipients: async () =>
                emailSender
                  ? (
                      await expirySettings.read()
                    ).emailRecipients
                  : [],
              deliverNotices: () => expiryCheck.deliverNotices(),
              revocations,
            }),
            leakReportLimiter: LeakReportRateLimiter.fromConfig(config, cache),
          }),
        );
      },
    });
  },
});
