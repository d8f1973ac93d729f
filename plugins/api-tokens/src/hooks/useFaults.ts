import { useApi } from '@backstage/core-plugin-api';
import {
  ApiTokenFault,
  ApiTokenFaultStatus,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { apiTokensApiRef } from '../api';
import { PagedData, usePagedItems } from './usePagedItems';

const PAGE_SIZE = 50;

/** Every user's expiry faults, for admins. */
export function useFaults(filter: {
  status?: ApiTokenFaultStatus;
  ownerRef?: string;
}): PagedData<ApiTokenFault> {
  const api = useApi(apiTokensApiRef);
  const { status, ownerRef } = filter;
  return usePagedItems(
    cursor => api.listFaults({ status, ownerRef, limit: PAGE_SIZE, cursor }),
    [api, status, ownerRef],
  );
}
