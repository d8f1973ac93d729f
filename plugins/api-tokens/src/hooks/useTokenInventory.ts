import { useApi } from '@backstage/core-plugin-api';
import {
  ApiToken,
  ApiTokenInventorySummary,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { useCallback, useMemo, useState } from 'react';
import { apiTokensApiRef, ListAllTokensRequest } from '../api';
import { AsyncData, useAsyncData } from './useAsyncData';

/** One page of the inventory, with the way to the pages around it. */
export interface TokenInventoryPage extends AsyncData<ApiToken[]> {
  value: ApiToken[];
  /** 1 for the first page. */
  pageNumber: number;
  hasNext: boolean;
  hasPrevious: boolean;
  next(): void;
  previous(): void;
}

/**
 * One page of every token matching `request`, paged on the server. A new
 * request starts again from the first page; the pages already passed are
 * remembered by their cursors, for "previous page".
 */
export function useTokenInventory(
  request: Omit<ListAllTokensRequest, 'cursor'>,
): TokenInventoryPage {
  const api = useApi(apiTokensApiRef);
  const key = JSON.stringify(request);
  // The cursors belong to the request they came from; a new one starts over.
  const [paging, setPaging] = useState<{
    key: string;
    cursors: Array<string | undefined>;
  }>({ key, cursors: [undefined] });
  const cursors = useMemo(
    () => (paging.key === key ? paging.cursors : [undefined]),
    [paging, key],
  );
  const cursor = cursors[cursors.length - 1];
  const page = useAsyncData(
    () => api.listAllTokens({ ...request, cursor }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, cursor],
  );
  const nextCursor = page.loading ? undefined : page.value?.nextCursor;
  const next = useCallback(() => {
    if (nextCursor) setPaging({ key, cursors: [...cursors, nextCursor] });
  }, [key, cursors, nextCursor]);
  const previous = useCallback(() => {
    if (cursors.length > 1) setPaging({ key, cursors: cursors.slice(0, -1) });
  }, [key, cursors]);
  return {
    value: page.value?.items ?? [],
    loading: page.loading,
    error: page.error,
    retry: page.retry,
    pageNumber: cursors.length,
    hasNext: Boolean(nextCursor),
    hasPrevious: cursors.length > 1,
    next,
    previous,
  };
}

/** The counts at the top of the inventory page. */
export function useTokenInventorySummary(): AsyncData<ApiTokenInventorySummary> {
  const api = useApi(apiTokensApiRef);
  return useAsyncData(() => api.getTokenInventorySummary(), [api]);
}
