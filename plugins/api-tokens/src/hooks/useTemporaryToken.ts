import { useApi } from '@backstage/core-plugin-api';
import { CreatedApiToken } from '@internal/plugin-api-tokens-common';
import { useCallback } from 'react';
import { apiTokensApiRef } from '../api';
import { AsyncData, useAsyncData } from './useAsyncData';

/** The session's temporary token, and a way to replace it. */
export interface TemporaryToken extends AsyncData<CreatedApiToken> {
  /** Forgets the session's token and gets a new one, e.g. after a revoke. */
  renew(): void;
}

/**
 * The signed-in user's temporary token for this browser session; the API
 * client keeps it, so remounting the page shows the same token.
 */
export function useTemporaryToken(): TemporaryToken {
  const api = useApi(apiTokensApiRef);
  const token = useAsyncData(() => api.getSessionTemporaryToken(), [api]);
  const { retry } = token;
  const renew = useCallback(() => {
    api.forgetSessionTemporaryToken();
    retry();
  }, [api, retry]);
  return { ...token, renew };
}
