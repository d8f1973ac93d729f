import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { apiTokensApiRef } from '../api';

/** The expiry faults raised for the signed-in user's tokens. */
export function useOwnFaults() {
  const api = useApi(apiTokensApiRef);
  return useAsyncRetry(async () => (await api.listOwnFaults()).items, [api]);
}
