import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { AsyncData } from './useAsyncData';

/** One page of a list that the backend hands out by cursor. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A list read page by page, with "load more". */
export interface PagedData<T> extends AsyncData<T[]> {
  /** Every item read so far; empty until the first page arrives. */
  value: T[];
  hasMore: boolean;
  loadMore(): void;
}

/**
 * Reads the first page when `deps` change or on `retry()`, and further pages
 * on `loadMore()`. Answers that arrive after `deps` changed are dropped, so a
 * slow first request cannot overwrite a newer one. Nothing is read while
 * `enabled` is false; the list counts as loading meanwhile.
 */
export function usePagedItems<T>(
  loadPage: (cursor?: string) => Promise<Page<T>>,
  deps: DependencyList,
  enabled: boolean = true,
): PagedData<T> {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  const current = useRef(0);
  const loadPageRef = useRef(loadPage);
  loadPageRef.current = loadPage;

  const load = useCallback((cursor: string | undefined, run: number) => {
    setLoading(true);
    setError(undefined);
    loadPageRef.current(cursor).then(
      page => {
        if (current.current !== run) return;
        setItems(previous =>
          cursor ? [...previous, ...page.items] : page.items,
        );
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (e: Error) => {
        if (current.current !== run) return;
        setError(e);
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    current.current += 1;
    if (enabled) {
      load(undefined, current.current);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, enabled, attempt, load]);

  const loadMore = useCallback(() => {
    if (nextCursor) load(nextCursor, current.current);
  }, [load, nextCursor]);

  const retry = useCallback(() => setAttempt(a => a + 1), []);

  return {
    value: items,
    loading,
    error,
    retry,
    hasMore: Boolean(nextCursor),
    loadMore,
  };
}
