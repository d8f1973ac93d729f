/**
 * Backend of the API tokens plugin.
 *
 * @packageDocumentation
 */

export { apiTokensPlugin as default } from './plugin';
