import { useApi } from '@backstage/core-plugin-api';
import { ApiTokenSetting } from '@nholuongut/backstage-plugin-api-tokens-common';
import { apiTokensApiRef } from '../api';
import { AsyncData, useAsyncData } from './useAsyncData';

/** The system settings an admin has set. */
export function useSettings(): AsyncData<ApiTokenSetting[]> {
  const api = useApi(apiTokensApiRef);
  return useAsyncData(async () => (await api.listSettings()).items, [api]);
}
