import {
  describeApiTokenScope,
  isReadPermission,
  scopeAllowsPermission,
  scopeAllowsPlugin,
} from './scope';

const read = {
  name: 'catalog.entity.read',
  attributes: { action: 'read' as const },
};
const remove = {
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' as const },
};

describe('isReadPermission', () => {
  it('follows the action, and the name when there is none', () => {
    expect(isReadPermission(read)).toBe(true);
    expect(isReadPermission(remove)).toBe(false);
    expect(isReadPermission({ name: 'search.query' })).toBe(true);
    expect(isReadPermission({ name: 'todo.item.create' })).toBe(false);
    expect(isReadPermission({ name: 'todo.item.update', attributes: {} })).toBe(
      false,
    );
    expect(isReadPermission({ name: 'x.delete' })).toBe(false);
  });
});

describe('scopeAllowsPermission', () => {
  it('leaves everything to the policy without a scope', () => {
    expect(scopeAllowsPermission(null, remove)).toBe(true);
    expect(scopeAllowsPermission({}, remove)).toBe(true);
  });

  it('removes permissions outside the list', () => {
    const scope = { permissions: ['catalog.entity.read'] };
    expect(scopeAllowsPermission(scope, read)).toBe(true);
    expect(scopeAllowsPermission(scope, remove)).toBe(false);
    expect(scopeAllowsPermission({ permissions: [] }, read)).toBe(false);
  });

  it('removes writes from read-only scopes, also when listed', () => {
    const scope = {
      permissions: ['catalog.entity.read', 'catalog.entity.delete'],
      readOnly: true,
    };
    expect(scopeAllowsPermission(scope, read)).toBe(true);
    expect(scopeAllowsPermission(scope, remove)).toBe(false);
  });
});

describe('scopeAllowsPlugin', () => {
  it('limits plugins but always lets the permission and auth backends answer', () => {
    expect(scopeAllowsPlugin(null, 'scaffolder')).toBe(true);
    expect(scopeAllowsPlugin({ readOnly: true }, 'scaffolder')).toBe(true);
    expect(scopeAllowsPlugin({ plugins: ['catalog'] }, 'catalog')).toBe(true);
    expect(scopeAllowsPlugin({ plugins: ['catalog'] }, 'search')).toBe(false);
    expect(scopeAllowsPlugin({ plugins: [] }, 'permission')).toBe(true);
    expect(scopeAllowsPlugin({ plugins: [] }, 'auth')).toBe(true);
  });
});

describe('describeApiTokenScope', () => {
  it('names every limit', () => {
    expect(describeApiTokenScope(null)).toBe("the owner's full access");
    expect(
      describeApiTokenScope({
        plugins: ['catalog', 'search'],
        permissions: ['catalog.entity.read'],
        readOnly: true,
      }),
    ).toBe(
      'plugins: catalog, search; permissions: catalog.entity.read; read only',
    );
  });
});
