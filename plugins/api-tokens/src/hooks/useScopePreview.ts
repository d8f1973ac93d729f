import { useApi } from '@backstage/core-plugin-api';
import {
  ApiTokenScope,
  ApiTokenScopePreview,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { useEffect, useState } from 'react';
import { apiTokensApiRef } from '../api';
import { AsyncData, useAsyncData } from './useAsyncData';

/** How long the scope must stay the same before it is previewed. */
export const SCOPE_PREVIEW_DELAY_MS = 300;

/** An answer, and the scope (as JSON) it answers. */
interface Answer {
  scopeKey: string;
  value?: ApiTokenScopePreview;
  error?: Error;
}

/**
 * What a token with `scope`, owned by `userRef`, would be allowed: asked
 * again once the scope has stayed the same for a moment, so that clicking
 * through the choices sends one request rather than one each. `loading` is
 * true from the change until the answer for the new scope is in; the last
 * answer stays in `value` until then, and an answer for an older scope that
 * arrives late is dropped.
 */
export function useScopePreview(
  userRef: string,
  scope: ApiTokenScope | null,
): AsyncData<ApiTokenScopePreview> {
  const api = useApi(apiTokensApiRef);
  const scopeKey = JSON.stringify(scope);
  const [askedKey, setAskedKey] = useState(scopeKey);

  useEffect(() => {
    if (scopeKey === askedKey) return undefined;
    const timer = setTimeout(
      () => setAskedKey(scopeKey),
      SCOPE_PREVIEW_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [scopeKey, askedKey]);

  const answer = useAsyncData(async (): Promise<Answer> => {
    try {
      const value = await api.previewTokenScope(userRef, JSON.parse(askedKey));
      return { scopeKey: askedKey, value };
    } catch (error) {
      return { scopeKey: askedKey, error: error as Error };
    }
  }, [api, userRef, askedKey]);

  return {
    value: answer.value?.value,
    error: answer.value?.error,
    // Also in the render between a new scope and the start of its request.
    loading:
      answer.loading ||
      answer.value?.scopeKey !== askedKey ||
      scopeKey !== askedKey,
    retry: answer.retry,
  };
}
