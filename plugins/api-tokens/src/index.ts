/**
 * Frontend of the API tokens plugin: the "API Tokens" tab of the Settings
 * page and the Administrator pages. This entry point serves apps on the
 * legacy frontend system; the new frontend system plugin is `./alpha`.
 *
 * @packageDocumentation
 */

export {
  apiTokensPlugin,
  ApiTokensAdminPage,
  EntityApiTokensContent,
} from './plugin';
export * from './components';
export * from './api';
export * from './signOut';
export { apiTokensTranslationRef } from './translation';
