export * from './ApiTokensApi';
export { ApiTokensClient } from './ApiTokensClient';
