/**
 * Common types, permissions and the token format of the API tokens plugin.
 *
 * @packageDocumentation
 */

export * from './permissions';
