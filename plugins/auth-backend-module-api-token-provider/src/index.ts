/**
 * Auth backend module that signs in the owner of an API token.
 *
 * @packageDocumentation
 */

export { authModuleApiTokenProvider as default } from './module';
