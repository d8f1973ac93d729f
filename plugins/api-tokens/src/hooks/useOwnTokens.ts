import { useApi } from '@backstage/core-plugin-api';
import { ApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { DependencyList } from 'react';
import { apiTokensApiRef } from '../api';
import { PagedData, usePagedItems } from './usePagedItems';

const PAGE_SIZE = 25;

/**
 * The signed-in user's own tokens, read once `enabled`; `deps` reload them,
 * e.g. when a new token was created.
 */
export function useOwnTokens(
  deps: DependencyList = [],
  enabled: boolean = true,
): PagedData<ApiToken> {
  const api = useApi(apiTokensApiRef);
  return usePagedItems(
    cursor => api.listOwnTokens({ limit: PAGE_SIZE, cursor }),
    [api, ...deps],
    enabled,
  );
}
