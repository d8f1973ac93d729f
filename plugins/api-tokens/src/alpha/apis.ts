import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { ApiTokensClient, apiTokensApiRef } from '../api';

/** The API tokens client: `api:api-tokens`. */
export const apiTokensApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: apiTokensApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ApiTokensClient({ discoveryApi, fetchApi }),
    }),
});
