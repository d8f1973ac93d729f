/**
 * The root HTTP router with the API token middleware, installed with
 * `backend.add(import('@internal/plugin-api-tokens-node/rootHttpRouter'))`.
 *
 * @packageDocumentation
 */

export { apiTokensRootHttpRouterServiceFactory as default } from './apiTokensRootHttpRouterServiceFactory';
