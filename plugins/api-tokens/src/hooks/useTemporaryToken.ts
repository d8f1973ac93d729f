import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { CreatedApiToken } from '@internal/plugin-api-tokens-common';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ApiTokensApi, apiTokensApiRef } from '../api';

/** Where the browser session keeps its temporary token. */
export const TEMPORARY_TOKEN_STORAGE_KEY = 'api-tokens:temporary-token';

// A token that expires sooner than this is replaced rather than handed out.
const MIN_REMAINING_MS = 60_000;

function readStored(userRef: string): CreatedApiToken | undefined {
  try {
    const stored = window.sessionStorage.getItem(TEMPORARY_TOKEN_STORAGE_KEY);
    if (!stored) return undefined;
    const created = JSON.parse(stored) as CreatedApiToken;
    const remaining = Date.parse(created.token.expiresAt) - Date.now();
    if (created.token.ownerRef !== userRef || !(remaining > MIN_REMAINING_MS)) {
      return undefined;
    }
    return created;
  } catch {
    return undefined;
  }
}

/** Forgets the session's temporary token, e.g. after it was revoked. */
export function forgetTemporaryToken(tokenId?: string) {
  const stored = window.sessionStorage.getItem(TEMPORARY_TOKEN_STORAGE_KEY);
  if (!stored) return;
  try {
    if (tokenId && JSON.parse(stored).token.id !== tokenId) return;
  } catch {
    // An unreadable entry is dropped like any other.
  }
  window.sessionStorage.removeItem(TEMPORARY_TOKEN_STORAGE_KEY);
}

// Shared between components that mount at the same time (and React's strict
// mode, which runs effects twice), so one session creates one token.
let pending: Promise<CreatedApiToken> | undefined;

async function createAndStore(api: ApiTokensApi): Promise<CreatedApiToken> {
  if (!pending) {
    pending = api
      .createTemporaryToken()
      .then(created => {
        window.sessionStorage.setItem(
          TEMPORARY_TOKEN_STORAGE_KEY,
          JSON.stringify(created),
        );
        return created;
      })
      .finally(() => {
        pending = undefined;
      });
  }
  return pending;
}

/**
 * The signed-in user's temporary token for this browser session: created on
 * first use, then kept in session storage until it expires, so that reloading
 * the page shows the same token instead of minting a new one.
 */
export function useTemporaryToken() {
  const api = useApi(apiTokensApiRef);
  const identityApi = useApi(identityApiRef);
  const [generation, setGeneration] = useState(0);

  const state = useAsync(async () => {
    const { userEntityRef } = await identityApi.getBackstageIdentity();
    return readStored(userEntityRef) ?? (await createAndStore(api));
  }, [api, identityApi, generation]);

  const renew = useCallback(() => {
    forgetTemporaryToken();
    setGeneration(g => g + 1);
  }, []);

  return { ...state, renew };
}
