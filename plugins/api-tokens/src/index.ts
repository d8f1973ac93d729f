/**
 * Frontend of the API tokens plugin (legacy frontend system; the new frontend
 * system plugin is the `./alpha` entry point).
 *
 * @packageDocumentation
 */

export { apiTokensPlugin } from './plugin';
