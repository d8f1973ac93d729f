import { createRouteRef } from '@backstage/core-plugin-api';

/** Administrator: `/api-tokens/admin` by default. */
export const adminRouteRef = createRouteRef({ id: 'api-tokens-admin' });
