import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/core-plugin-api';
import { apiTokensApiRef } from './ApiTokensApi';
import { ApiTokensClient } from './ApiTokensClient';

/** The {@link ApiTokensClient} behind `apiTokensApiRef`, for both frontend systems. */
export const apiTokensApiFactory = createApiFactory({
  api: apiTokensApiRef,
  deps: {
    discoveryApi: discoveryApiRef,
    fetchApi: fetchApiRef,
    identityApi: identityApiRef,
  },
  factory: ({ discoveryApi, fetchApi, identityApi }) =>
    new ApiTokensClient({ discoveryApi, fetchApi, identityApi }),
});
