/**
 * The root HTTP router with the API token middleware, installed with
 * `backend.add(import(…))` of this entry point (see the README). The
 * package scope is not spelled out here: in a doc comment it would read
 * as an `internal` release tag, which hides the export.
 *
 * @packageDocumentation
 */

export { apiTokensRootHttpRouterServiceFactory as default } from './apiTokensRootHttpRouterServiceFactory';
