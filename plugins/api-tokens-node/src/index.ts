/**
 * Node library of the API tokens plugin: what other backend parts install to
 * make API tokens work, and the client of the api-tokens backend's verify
 * route.
 *
 * @packageDocumentation
 */

export {
  apiTokenHandlerDecoratorServiceFactory as default,
  apiTokenHandlerDecoratorServiceFactory,
  API_TOKEN_ACTOR_SUBJECT,
} from './apiTokenHandlerDecoratorServiceFactory';
export { apiTokensRootHttpRouterServiceFactory } from './apiTokensRootHttpRouterServiceFactory';
export { createApiTokenMiddleware } from './createApiTokenMiddleware';
export { createApiTokenExpirationMiddleware } from './createApiTokenExpirationMiddleware';
export {
  ApiTokenFailureLimiter,
  type ApiTokenFailureLimiterOptions,
} from './ApiTokenFailureLimiter';
export type { TrustProxySetting } from './clientAddress';
export {
  ApiTokensVerifyClient,
  type ApiTokensVerifyClientOptions,
} from './ApiTokensVerifyClient';
export {
  isApiTokenRequest,
  readApiTokenCredential,
  type ApiTokenRequestCredential,
} from './isApiTokenRequest';
export {
  API_TOKEN_ID_CLAIM,
  isUserEntityRef,
  parseUserTokenClaims,
  type UserTokenClaims,
} from './userTokenClaims';
export type {
  ApiTokenMiddleware,
  ApiTokenProviderInfo,
  ApiTokenVerification,
} from './types';
export { createApiTokenScopedPolicy } from './createApiTokenScopedPolicy';
export { announceApiTokenRevoked } from './apiTokenRevocations';
export {
  ApiTokenRevocationSignal,
  type ApiTokenRevocationSignalOptions,
} from './ApiTokenRevocationSignal';
