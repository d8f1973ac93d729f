import {
  RootHttpRouterService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  RootHttpRouterConfigureContext,
  RootHttpRouterFactoryOptions,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';
import { createApiTokenMiddleware } from './createApiTokenMiddleware';

function defaultConfigure(context: RootHttpRouterConfigureContext) {
  context.applyDefaults();
}

function withOptions(
  options?: RootHttpRouterFactoryOptions,
): ServiceFactory<RootHttpRouterService, 'root', 'singleton'> {
  const configure = options?.configure ?? defaultConfigure;
  return rootHttpRouterServiceFactory({
    ...options,
    configure(context) {
      context.app.use(
        createApiTokenMiddleware(context.config, { logger: context.logger }),
      );
      configure(context);
    },
  });
}

/**
 * The root HTTP router of `@backstage/backend-defaults` with the middleware
 * that API tokens need in front of every plugin (see
 * `createApiTokenMiddleware`): the failure limiter and the
 * `Backstage-Api-Token-Expiration` header.
 *
 * It replaces `rootHttpRouterServiceFactory` and takes the same options; a
 * `configure` of your own runs after the API token middleware is installed:
 *
 * ```ts
 * // the package's rootHttpRouter entry point installs it as is;
 * // with a configuration of your own:
 * backend.add(
 *   apiTokensRootHttpRouterServiceFactory({
 *     configure({ app, applyDefaults }) {
 *       app.use(myMiddleware);
 *       applyDefaults();
 *     },
 *   }),
 * );
 * ```
 *
 * @public
 */
export const apiTokensRootHttpRouterServiceFactory: ((
  options?: RootHttpRouterFactoryOptions,
) => ServiceFactory<RootHttpRouterService, 'root', 'singleton'>) &
  ServiceFactory<RootHttpRouterService, 'root', 'singleton'> = Object.assign(
  withOptions,
  withOptions(),
);
