import { useApi } from '@backstage/core-plugin-api';
import { ApiTokenFault } from '@nholuongut/backstage-plugin-api-tokens-common';
import { apiTokensApiRef } from '../api';
import { AsyncData, useAsyncData } from './useAsyncData';

/** The expiry faults raised for the signed-in user's tokens. */
export function useOwnFaults(): AsyncData<ApiTokenFault[]> {
  const api = useApi(apiTokensApiRef);
  return useAsyncData(async () => (await api.listOwnFaults()).items, [api]);
}
