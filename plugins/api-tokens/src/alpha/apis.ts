import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { apiTokensApiFactory } from '../api/apiTokensApiFactory';

/** The API tokens client: `api:api-tokens`. */
export const apiTokensApi = ApiBlueprint.make({
  params: defineParams => defineParams(apiTokensApiFactory),
});
