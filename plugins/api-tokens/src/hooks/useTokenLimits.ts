import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { apiTokensApiRef } from '../api';

/** The lifetime limits the backend enforces. */
export function useTokenLimits() {
  const api = useApi(apiTokensApiRef);
  return useAsync(() => api.getLimits(), [api]);
}
