import { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { AsyncData, useAsyncData } from './useAsyncData';

/** A user entity from the catalog; undefined when there is none. */
export function useCatalogUser(userRef: string): AsyncData<Entity | undefined> {
  const catalogApi = useApi(catalogApiRef);
  return useAsyncData(
    () => catalogApi.getEntityByRef(userRef),
    [catalogApi, userRef],
  );
}
