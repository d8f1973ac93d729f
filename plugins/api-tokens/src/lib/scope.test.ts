import { normalizeScope, presetOf, scopePresets } from './scope';

describe('normalizeScope', () => {
  it('is null when nothing limits', () => {
    expect(normalizeScope(null)).toBeNull();
    expect(normalizeScope({})).toBeNull();
    expect(
      normalizeScope({ plugins: [], permissions: [], readOnly: false }),
    ).toBeNull();
  });

  it('sorts lists, drops duplicates and leaves out what does not limit', () => {
    expect(
      normalizeScope({
        plugins: ['search', 'catalog', 'search'],
        permissions: [],
        readOnly: false,
      }),
    ).toEqual({ plugins: ['catalog', 'search'] });
    expect(normalizeScope({ readOnly: true })).toEqual({ readOnly: true });
  });
});

describe('presetOf', () => {
  it('recognises each preset however it is written', () => {
    expect(presetOf(null)).toBe('everything');
    expect(presetOf({ permissions: [] })).toBe('everything');
    expect(presetOf({ readOnly: true })).toBe('readOnly');
    expect(presetOf({ readOnly: true, plugins: ['catalog'] })).toBe(
      'catalogRead',
    );
    expect(presetOf(scopePresets.catalogRead)).toBe('catalogRead');
  });

  it('is undefined for other scopes', () => {
    expect(presetOf({ plugins: ['catalog'] })).toBeUndefined();
    expect(
      presetOf({ plugins: ['catalog', 'search'], readOnly: true }),
    ).toBeUndefined();
  });
});
