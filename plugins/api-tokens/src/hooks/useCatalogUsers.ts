import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';

const PAGE_SIZE = 20;

/**
 * The catalog's users matching a search, one page at a time. The search
 * starts over from the first page whenever it changes.
 */
export function useCatalogUsers(search: string) {
  const catalogApi = useApi(catalogApiRef);
  const term = search.trim();
  // A cursor belongs to the search it came from; a new search starts over.
  const [page, setPage] = useState<{ term: string; cursor?: string }>({
    term,
  });
  const cursor = page.term === term ? page.cursor : undefined;

  const state = useAsync(
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
    loading: state.loading,
    error: state.error,
    users: state.value?.items ?? [],
    totalItems: state.value?.totalItems,
    hasNext: Boolean(nextCursor),
    hasPrevious: Boolean(prevCursor),
    next,
    previous,
  };
}
