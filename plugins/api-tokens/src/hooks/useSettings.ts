import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { apiTokensApiRef } from '../api';

/** The system settings an admin has set. */
export function useSettings() {
  const api = useApi(apiTokensApiRef);
  return useAsyncRetry(async () => (await api.listSettings()).items, [api]);
}
