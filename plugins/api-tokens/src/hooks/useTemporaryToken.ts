import { useApi } from '@backstage/core-plugin-api';
import { CreatedApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { apiTokensApiRef } from '../api';
import { AsyncData, useAsyncData } from './useAsyncData';

/**
 * The signed-in user's temporary token in this browser; the API client keeps
 * it, so remounting the page shows the same token. `retry()` after the token
 * was revoked gets a new one: the client no longer hands out a token the
 * backend refuses.
 */
export function useTemporaryToken(): AsyncData<CreatedApiToken> {
  const api = useApi(apiTokensApiRef);
  return useAsyncData(() => api.getSessionTemporaryToken(), [api]);
}
