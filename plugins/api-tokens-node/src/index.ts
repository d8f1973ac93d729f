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
export {
  createApiTokenExpirationMiddleware,
  type ApiTokenExpirationMiddleware,
} from './createApiTokenExpirationMiddleware';
export {
  ApiTokensVerifyClient,
  type ApiTokensVerifyClientOptions,
} from './ApiTokensVerifyClient';
export {
  API_TOKEN_ID_CLAIM,
  isApiTokenRequest,
  readApiTokenCredential,
  type ApiTokenRequestCredential,
} from './isApiTokenRequest';
export type { ApiTokenProviderInfo, ApiTokenVerification } from './types';
export {
  ApiTokenFailureLimiter,
  type ApiTokenFailureLimiterOptions,
} from './ApiTokenFailureLimiter';
