import {
  CatalogApi,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { RenderResult } from '@testing-library/react';
import { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { ApiTokensApi, apiTokensApiRef } from '../api';
import { mockApiTokensApi } from './fixtures';

/** Options of {@link renderWithApis}. */
export interface RenderWithApisOptions {
  /** The API tokens API; by default one that fails every call. */
  api?: ApiTokensApi;
  catalogApi?: CatalogApi;
  /**
   * What the permission policy answers to every request; `PENDING` never
   * answers. `usePermission` caches answers for the whole test file, so a
   * file tests one of them.
   */
  permission?: 'ALLOW' | 'DENY' | 'PENDING';
  /** Where the router starts; `/` by default. */
  routeEntries?: string[];
}

/**
 * Renders a component of this plugin in a legacy test app (the components
 * serve both frontend systems) with the APIs it reads: the API tokens API,
 * the catalog and a permission policy.
 */
export async function renderWithApis(
  element: ReactElement,
  options: RenderWithApisOptions = {},
): Promise<RenderResult & { authorize: jest.Mock }> {
  const {
    api = mockApiTokensApi(),
    catalogApi = catalogApiMock.mock(),
    permission = 'ALLOW',
    routeEntries = ['/'],
  } = options;
  const authorize =
    permission === 'PENDING'
      ? jest.fn().mockReturnValue(new Promise(() => {}))
      : jest.fn().mockResolvedValue({ result: permission });
  // The apps keep React Router's v6 behaviour; saying so explicitly is what
  // React Router asks for before v7.
  const Router = ({ children }: { children?: ReactNode }) => (
    <MemoryRouter
      initialEntries={routeEntries}
      future={{ v7_startTransition: false, v7_relativeSplatPath: false }}
    >
      {children}
    </MemoryRouter>
  );
  const rendered = await renderInTestApp(
    <TestApiProvider
      apis={[
        [apiTokensApiRef, api],
        [catalogApiRef, catalogApi],
        [permissionApiRef, { authorize }],
      ]}
    >
      {element}
    </TestApiProvider>,
    {
      components: { Router },
      // Where EntityRefLink points, as the catalog plugin mounts it.
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return { ...rendered, authorize };
}
