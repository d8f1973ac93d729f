import { useApi } from '@backstage/core-plugin-api';
import {
  ApiToken,
  ApiTokenState,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { apiTokensApiRef } from '../api';
import { PagedData, usePagedItems } from './usePagedItems';

const PAGE_SIZE = 25;

/**
 * One user's tokens in some states, newest first: for admins, and for the
 * user themself.
 */
export function useUserTokens(
  userRef: string,
  states: ApiTokenState[] = ['active'],
): PagedData<ApiToken> {
  const api = useApi(apiTokensApiRef);
  return usePagedItems(
    cursor =>
      api.listAllTokens({
        ownerRef: userRef,
        states,
        sort: 'createdAt',
        order: 'desc',
        limit: PAGE_SIZE,
        cursor,
      }),
    [api, userRef, states.join(',')],
  );
}
