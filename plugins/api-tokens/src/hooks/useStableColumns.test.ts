import { TableColumn } from '@backstage/core-components';
import { renderHook } from '@testing-library/react';
import { useStableColumns } from './useStableColumns';

interface Row {
  name: string;
}

const columnsSaying = (title: string, suffix: string): TableColumn<Row>[] => [
  { title, field: 'name', render: row => `${row.name}${suffix}` },
  { title: 'Plain', field: 'name' },
];

describe('useStableColumns', () => {
  it('keeps the same columns while only their functions change, and renders with the newest', () => {
    const { result, rerender } = renderHook(
      ({ suffix }) => useStableColumns(columnsSaying('Name', suffix)),
      { initialProps: { suffix: '!' } },
    );
    const first = result.current;
    rerender({ suffix: '?' });
    expect(result.current).toBe(first);
    expect(result.current[0].render?.({ name: 'jane' }, 'row')).toBe('jane?');
  });

  it('gives new columns when a title changes', () => {
    const { result, rerender } = renderHook(
      ({ title }) => useStableColumns(columnsSaying(title, '')),
      { initialProps: { title: 'Name' } },
    );
    const first = result.current;
    rerender({ title: 'Nom' });
    expect(result.current).not.toBe(first);
    expect(result.current[0].title).toBe('Nom');
  });
});
