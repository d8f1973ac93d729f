/**
 * Common types, permissions and the token format of the API tokens plugin.
 *
 * @packageDocumentation
 */

export * from './constants';
export * from './permissions';
export * from './scope';
export * from './settings';
export * from './TokenFormat';
export * from './time';
export * from './types';
export * from './userRef';
