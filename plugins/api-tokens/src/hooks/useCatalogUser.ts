import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/** A user entity from the catalog; undefined when there is none. */
export function useCatalogUser(userRef: string) {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(
    () => catalogApi.getEntityByRef(userRef),
    [catalogApi, userRef],
  );
}
