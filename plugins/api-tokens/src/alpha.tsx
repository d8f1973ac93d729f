/**
 * The API tokens plugin for the new frontend system.
 *
 * @packageDocumentation
 */

export { default } from './alpha/plugin';
export { apiTokensTranslationRef } from './translation';
