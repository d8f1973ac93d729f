import { useApi } from '@backstage/core-plugin-api';
import { ApiToken } from '@internal/plugin-api-tokens-common';
import { apiTokensApiRef } from '../api';
import { PagedData, usePagedItems } from './usePagedItems';

const PAGE_SIZE = 25;

/** Any user's tokens, for admins. */
export function useUserTokens(userRef: string): PagedData<ApiToken> {
  const api = useApi(apiTokensApiRef);
  return usePagedItems(
    cursor => api.listUserTokens(userRef, { limit: PAGE_SIZE, cursor }),
    [api, userRef],
  );
}
