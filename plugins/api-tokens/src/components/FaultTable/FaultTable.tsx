import { Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { ApiTokenFault } from '@internal/plugin-api-tokens-common';
import { useMemo } from 'react';
import { DateTimeText } from '../DateTimeText';

/** Props of {@link FaultTable}. */
export interface FaultTableProps {
  faults: ApiTokenFault[];
  loading: boolean;
  emptyText: string;
  /** Whether to show whose token it is (the admin view). */
  showOwner?: boolean;
  hasMore?: boolean;
  onLoadMore?(): void;
}

function statusLabel(fault: ApiTokenFault): string {
  if (fault.status === 'open') return 'Open';
  if (fault.resolution === 'revoked') return 'Resolved: revoked';
  if (fault.resolution === 'expired') return 'Resolved: expired';
  return 'Resolved';
}

/** Expiry faults: which token, when it expires, when the fault was raised. */
export function FaultTable(props: FaultTableProps) {
  const { faults, loading, emptyText, showOwner, hasMore, onLoadMore } = props;
  // The table writes its bookkeeping into the rows it is given.
  const rows = useMemo(() => faults.map(fault => ({ ...fault })), [faults]);

  const columns: TableColumn<ApiTokenFault>[] = [
    { title: 'Token', field: 'tokenName' },
    ...(showOwner
      ? [{ title: 'Owner', field: 'ownerRef' } as TableColumn<ApiTokenFault>]
      : []),
    {
      title: 'Expires',
      field: 'expiresAt',
      render: fault => (
        <DateTimeText value={fault.expiresAt} variant="expiry" />
      ),
    },
    {
      title: 'Warning',
      field: 'thresholdDays',
      render: fault =>
        `${fault.thresholdDays} day${
          fault.thresholdDays === 1 ? '' : 's'
        } before expiry`,
    },
    {
      title: 'Raised',
      field: 'raisedAt',
      render: fault => <DateTimeText value={fault.raisedAt} />,
    },
    {
      title: 'Status',
      field: 'status',
      render: fault => (
        <Chip
          size="small"
          label={statusLabel(fault)}
          color={fault.status === 'open' ? 'secondary' : 'default'}
          variant={fault.status === 'open' ? 'default' : 'outlined'}
        />
      ),
    },
  ];

  return (
    <>
      <Table<ApiTokenFault>
        columns={columns}
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
            Load more faults
          </Button>
        </Box>
      )}
    </>
  );
}
