import { TableColumn } from '@backstage/core-components';
import { useMemo, useRef } from 'react';

/**
 * The columns of a material-table, kept the same objects from render to
 * render while their titles and fields stay the same. material-table
 * compares its columns on every render and, when a `render` function is
 * new, resets its state and warns "The columns provided to material table
 * are static, but contain functions which update on every render". The
 * stable columns' `render` calls the newest one, so cells still show the
 * latest props. A title that is not a string (a select-all checkbox) is
 * not compared: pass what it shows as `titleDeps`.
 */
export function useStableColumns<T extends object>(
  columns: TableColumn<T>[],
  titleDeps: unknown[] = [],
): TableColumn<T>[] {
  const latest = useRef(columns);
  latest.current = columns;
  const shape = columns
    .map(column =>
      [
        typeof column.title === 'string' ? column.title : '',
        String(column.field ?? ''),
        String(column.sorting ?? ''),
        column.render ? 'render' : '',
      ].join('\u0000'),
    )
    .join('\n');
  return useMemo(
    () =>
      latest.current.map((column, index) =>
        column.render
          ? {
              ...column,
              render: (row: T, type: 'row' | 'group') =>
                latest.current[index].render?.(row, type),
            }
          : column,
      ),
    // The shape and the titles' dependencies say when the columns really
    // change; a call site passes the same number of titleDeps every time.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [shape, ...titleDeps],
  );
}
