import { useApi } from '@backstage/core-plugin-api';
import { ApiTokenLimits, apiTokensApiRef } from '../api';
import { AsyncData, useAsyncData } from './useAsyncData';

/** The lifetime limits the backend enforces. */
export function useTokenLimits(): AsyncData<ApiTokenLimits> {
  const api = useApi(apiTokensApiRef);
  return useAsyncData(() => api.getLimits(), [api]);
}
