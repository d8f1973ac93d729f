import { Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { useStableColumns } from '../../hooks';

/** Props of {@link ListTable}. */
export interface ListTableProps<T extends object> {
  columns: TableColumn<T>[];
  items: T[];
  /** What tells an item apart, such as a token's id or a setting's key. */
  rowId(item: T): string;
  loading: boolean;
  /** What to say when there are no items. */
  emptyText: string;
  /** Whether the backend has more items than shown. */
  hasMore?: boolean;
  onLoadMore?(): void;
  /** The label of the button that reads more, e.g. "Load more tokens". */
  loadMoreLabel?: string;
}

/**
 * The plugin's lists: a table without toolbar, paging or search, a sentence
 * when it is empty, and a "load more" button when the backend has more.
 */
export function ListTable<T extends object>(props: ListTableProps<T>) {
  const {
    columns,
    items,
    rowId,
    loading,
    emptyText,
    hasMore,
    onLoadMore,
    loadMoreLabel,
  } = props;
  // The table writes its bookkeeping into the rows it is given, and keeps
  // a row's state (and asks for) by an `id`.
  const rows = useMemo(
    () => items.map(item => ({ ...item, id: rowId(item) })),
    // rowId only reads the item.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [items],
  );
  const stableColumns = useStableColumns(columns);

  return (
    <>
      <Table<T>
        columns={stableColumns}
        data={rows}
        isLoading={loading}
        options={{ toolbar: false, paging: false, search: false }}
        emptyContent={
          <Box padding={2}>
            <Typography variant="body2">{emptyText}</Typography>
          </Box>
        }
      />
      {hasMore && onLoadMore && (
        <Box display="flex" justifyContent="center" padding={1}>
          <Button onClick={onLoadMore} disabled={loading}>
            {loadMoreLabel}
          </Button>
        </Box>
      )}
    </>
  );
}
