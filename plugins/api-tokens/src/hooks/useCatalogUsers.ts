import { UserEntity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useCallback, useState } from 'react';
import { AsyncData, useAsyncData } from './useAsyncData';

const PAGE_SIZE = 20;

/** One page of the catalog's users, with the way to the pages around it. */
export interface CatalogUsersPage extends AsyncData<UserEntity[]> {
  /** The users of this page; empty until it arrives. */
  value: UserEntity[];
  /** How many users match the search, over all pages. */
  totalItems?: number;
  hasNext: boolean;
  hasPrevious: boolean;
  next(): void;
  previous(): void;
}

/**
 * The catalog's users matching a search, one page at a time. The search
 * starts over from the first page whenever it changes.
 */
export function useCatalogUsers(search: string): CatalogUsersPage {
  const catalogApi = useApi(catalogApiRef);
  const term = search.trim();
  // A cursor belongs to the search it came from; a new search starts over.
  const [page, setPage] = useState<{ term: string; cursor?: string }>({
    term,
  });
  const cursor = page.term === term ? page.cursor : undefined;

  const state = useAsyncData(
    () =>
      cursor
        ? catalogApi.queryEntities({ cursor, limit: PAGE_SIZE })
        : catalogApi.queryEntities({
            filter: { kind: 'User' },
            limit: PAGE_SIZE,
            orderFields: { field: 'metadata.name', order: 'asc' },
            ...(term && {
              fullTextFilter: {
                term,
                fields: [
                  'metadata.name',
                  'metadata.title',
                  'spec.profile.displayName',
                  'spec.profile.email',
                ],
              },
            }),
          }),
    [catalogApi, term, cursor],
  );

  const nextCursor = state.value?.pageInfo.nextCursor;
  const prevCursor = state.value?.pageInfo.prevCursor;
  const next = useCallback(() => {
    if (nextCursor) setPage({ term, cursor: nextCursor });
  }, [term, nextCursor]);
  const previous = useCallback(() => {
    if (prevCursor) setPage({ term, cursor: prevCursor });
  }, [term, prevCursor]);

  return {
    // The query asks for users only.
    value: (state.value?.items ?? []) as UserEntity[],
    loading: state.loading,
    error: state.error,
    retry: state.retry,
    totalItems: state.value?.totalItems,
    hasNext: Boolean(nextCursor),
    hasPrevious: Boolean(prevCursor),
    next,
    previous,
  };
}
