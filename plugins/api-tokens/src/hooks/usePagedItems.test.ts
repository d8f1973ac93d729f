import { act, renderHook, waitFor } from '@testing-library/react';
import { usePagedItems } from './usePagedItems';

describe('usePagedItems', () => {
  it('reads the first page, then more on request', async () => {
    const loadPage = jest.fn(async (cursor?: string) =>
      cursor ? { items: [3] } : { items: [1, 2], nextCursor: 'c2' },
    );
    const { result } = renderHook(() => usePagedItems(loadPage, []));
    await waitFor(() => expect(result.current.value).toEqual([1, 2]));
    expect(result.current.hasMore).toBe(true);

    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.value).toEqual([1, 2, 3]));
    expect(loadPage).toHaveBeenLastCalledWith('c2');
    expect(result.current.hasMore).toBe(false);

    act(() => result.current.retry());
    await waitFor(() => expect(loadPage).toHaveBeenCalledTimes(3));
    await waitFor(() => expect(result.current.value).toEqual([1, 2]));
  });

  it('reads nothing until enabled', async () => {
    const loadPage = jest.fn().mockResolvedValue({ items: [1] });
    const { result, rerender } = renderHook(
      ({ enabled }) => usePagedItems(loadPage, [], enabled),
      { initialProps: { enabled: false } },
    );
    expect(result.current.loading).toBe(true);
    expect(loadPage).not.toHaveBeenCalled();
    rerender({ enabled: true });
    await waitFor(() => expect(result.current.value).toEqual([1]));
  });

  it('drops a slow answer for an older query', async () => {
    let resolveFirst: (page: { items: string[] }) => void = () => {};
    const loadPage = jest
      .fn()
      .mockReturnValueOnce(
        new Promise(resolve => {
          resolveFirst = resolve;
        }),
      )
      .mockResolvedValue({ items: ['new'] });
    const { result, rerender } = renderHook(
      ({ query }) => usePagedItems(loadPage, [query]),
      { initialProps: { query: 'a' } },
    );
    rerender({ query: 'b' });
    await waitFor(() => expect(result.current.value).toEqual(['new']));
    await act(async () => resolveFirst({ items: ['old'] }));
    expect(result.current.value).toEqual(['new']);
  });

  it('reports a failure', async () => {
    const { result } = renderHook(() =>
      usePagedItems(() => Promise.reject(new Error('offline')), []),
    );
    await waitFor(() => expect(result.current.error?.message).toBe('offline'));
    expect(result.current.loading).toBe(false);
  });
});
