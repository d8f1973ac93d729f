import { DependencyList, useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';

/**
 * What every data hook of this plugin returns, the shape of react-use's
 * `useAsyncRetry`.
 */
export interface AsyncData<T> {
  value?: T;
  loading: boolean;
  error?: Error;
  /** Reads again; unlike `useAsyncRetry`, also while a read is under way. */
  retry(): void;
}

/**
 * Runs `load` when `deps` change or on `retry()`. An answer that arrives
 * after a newer read started is dropped.
 */
export function useAsyncData<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): AsyncData<T> {
  const [attempt, setAttempt] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsync(load, [...deps, attempt]);
  const retry = useCallback(() => setAttempt(a => a + 1), []);
  return {
    value: state.value,
    loading: state.loading,
    error: state.error,
    retry,
  };
}
