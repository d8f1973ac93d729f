import { TestApiProvider } from '@backstage/test-utils';
import { ApiTokenScope } from '@nholuongut/backstage-plugin-api-tokens-common';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { apiTokensApiRef } from '../api';
import { FakeApiTokensBackend } from '../__testUtils__/fakeApiTokensBackend';
import { useScopePreview } from './useScopePreview';

const bob = 'user:default/bob';

function renderPreview(backend: FakeApiTokensBackend) {
  const api = backend.client('user:default/alice');
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <TestApiProvider apis={[[apiTokensApiRef, api]]}>
      {children}
    </TestApiProvider>
  );
  return renderHook(
    ({ scope }: { scope: ApiTokenScope | null }) => useScopePreview(bob, scope),
    {
      wrapper,
      initialProps: { scope: null as ApiTokenScope | null },
    },
  );
}

function resultOf(
  preview: { value?: { permissions: { name: string; result: string }[] } },
  name: string,
) {
  return preview.value?.permissions.find(p => p.name === name)?.result;
}

describe('useScopePreview', () => {
  it('previews at once, then only the scope that stays for a moment', async () => {
    const backend = new FakeApiTokensBackend();
    const { result, rerender } = renderPreview(backend);
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(resultOf(result.current, 'catalog.entity.create')).toBe('ALLOW');

    rerender({ scope: { readOnly: true } });
    expect(result.current.loading).toBe(true);
    rerender({ scope: { plugins: ['scaffolder'] } });
    rerender({ scope: { plugins: ['catalog'], readOnly: true } });
    // The last answer stays while the next one is on its way.
    expect(resultOf(result.current, 'catalog.entity.create')).toBe('ALLOW');

    await waitFor(() =>
      expect(resultOf(result.current, 'catalog.entity.create')).toBe('DENY'),
    );
    expect(result.current.loading).toBe(false);
    expect(backend.previewedScopes).toEqual([
      null,
      { plugins: ['catalog'], readOnly: true },
    ]);
  });

  it('drops an answer for an older scope that arrives late', async () => {
    const backend = new FakeApiTokensBackend();
    let releaseSlow = () => {};
    backend.previewGate = async scope => {
      if (scope?.plugins?.includes('search')) {
        await new Promise<void>(resolve => {
          releaseSlow = resolve;
        });
      }
    };
    const { result, rerender } = renderPreview(backend);
    await waitFor(() => expect(result.current.loading).toBe(false));

    rerender({ scope: { plugins: ['search'] } });
    await waitFor(() => expect(backend.previewedScopes).toHaveLength(2));
    rerender({ scope: { plugins: ['catalog'] } });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(resultOf(result.current, 'catalog.entity.read')).toBe('ALLOW');

    // The answer for "search only" would say the catalog is out of reach.
    await act(async () => {
      releaseSlow();
      // Time for the late answer to arrive and be read.
      await new Promise(resolve => setTimeout(resolve, 100));
    });
    expect(backend.previewedScopes).toHaveLength(3);
    expect(resultOf(result.current, 'catalog.entity.read')).toBe('ALLOW');
  });

  it("reports the backend's refusal and asks again on retry", async () => {
    const backend = new FakeApiTokensBackend();
    const { result, rerender } = renderPreview(backend);
    await waitFor(() => expect(result.current.loading).toBe(false));
    rerender({ scope: { plugins: ['nope'] } });
    await waitFor(() => expect(result.current.error).toBeDefined());
    expect(result.current.value).toBeUndefined();

    act(() => result.current.retry());
    await waitFor(() => expect(backend.previewedScopes).toHaveLength(3));
    await waitFor(() => expect(result.current.loading).toBe(false));
  });
});
