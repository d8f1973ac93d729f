import { ApiTokenScope } from '@nholuongut/backstage-plugin-api-tokens-common';
import { ApiTokensTranslation } from '../translation';

/** The scopes the Add dialog offers in one click. */
export type ScopePresetId = 'everything' | 'readOnly' | 'catalogRead';

/** What each preset stands for; `null` is the owner's full power. */
export const scopePresets: Record<ScopePresetId, ApiTokenScope | null> = {
  everything: null,
  readOnly: { readOnly: true },
  catalogRead: { plugins: ['catalog'], readOnly: true },
};

/**
 * The scope as it is sent: lists without duplicates, sorted, empty lists
 * and a false `readOnly` left out (they limit nothing), and `null` when
 * nothing is left, which is the owner's full power.
 */
export function normalizeScope(
  scope: ApiTokenScope | null,
): ApiTokenScope | null {
  if (!scope) return null;
  const plugins = uniqueSorted(scope.plugins);
  const permissions = uniqueSorted(scope.permissions);
  const normalized: ApiTokenScope = {
    ...(plugins.length > 0 && { plugins }),
    ...(permissions.length > 0 && { permissions }),
    ...(scope.readOnly && { readOnly: true }),
  };
  return Object.keys(normalized).length > 0 ? normalized : null;
}

/** The preset a scope is, if it is one. */
export function presetOf(
  scope: ApiTokenScope | null,
): ScopePresetId | undefined {
  const key = JSON.stringify(normalizeScope(scope));
  return (Object.keys(scopePresets) as ScopePresetId[]).find(
    id => JSON.stringify(normalizeScope(scopePresets[id])) === key,
  );
}

/**
 * A scope in a few words, e.g. "catalog, search · read only · 2
 * permissions", or "Full access" for none.
 */
export function describeScope(
  scope: ApiTokenScope | null,
  t: ApiTokensTranslation,
): string {
  if (!scope) return t('scope.fullAccess');
  const parts: string[] = [];
  if (scope.plugins) {
    parts.push(
      scope.plugins.length > 0
        ? scope.plugins.join(', ')
        : t('scope.noPlugins'),
    );
  }
  if (scope.readOnly) parts.push(t('scope.readOnly'));
  if (scope.permissions) {
    parts.push(t('scope.permissions', { count: scope.permissions.length }));
  }
  return parts.length > 0 ? parts.join(' · ') : t('scope.fullAccess');
}

function uniqueSorted(items: string[] = []): string[] {
  return [...new Set(items)].sort();
}
