/**
 * Node library of the API tokens plugin.
 *
 * @packageDocumentation
 */

export {};
