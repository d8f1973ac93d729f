import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { ApiToken, ApiTokenState } from '@internal/plugin-api-tokens-common';
import { ReactNode, useMemo, useState } from 'react';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ConfirmDialog } from '../ConfirmDialog';
import { DateTimeText } from '../DateTimeText';

/** Props of {@link TokenTable}. */
export interface TokenTableProps {
  title: string;
  tokens: ApiToken[];
  loading: boolean;
  error?: Error;
  hasMore: boolean;
  onLoadMore(): void;
  /** Revokes a token; called after the viewer confirmed. */
  onRevoke(token: ApiToken): Promise<void>;
  /** Controls shown next to the title, e.g. an "Add" button. */
  actions?: ReactNode;
  emptyText: string;
  /** A note shown on one token's row, e.g. which one this session uses. */
  note?: { tokenId: string; text: string };
  /** Whether the viewer may revoke these tokens; true unless said otherwise. */
  canRevoke?: boolean;
}

const STATE_LABELS: Record<ApiTokenState, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
};

function nameId(token: ApiToken) {
  return `api-token-name-${token.id}`;
}

/**
 * A list of tokens: name, kind, created, expires, last used and state, with
 * Revoke behind a confirmation.
 */
export function TokenTable(props: TokenTableProps) {
  const {
    title,
    tokens,
    loading,
    error,
    hasMore,
    onLoadMore,
    onRevoke,
    actions,
    emptyText,
    note,
    canRevoke = true,
  } = props;
  const [revokingId, setRevokingId] = useState<string>();
  const revoking = tokens.find(token => token.id === revokingId);
  // The table writes its bookkeeping into the rows it is given.
  const rows = useMemo(() => tokens.map(token => ({ ...token })), [tokens]);

  const columns: TableColumn<ApiToken>[] = [
    {
      title: 'Name',
      field: 'name',
      render: token => (
        <>
          <Typography variant="body2" id={nameId(token)}>
            {token.name}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {`ends in …${token.hint}`}
            {note?.tokenId === token.id && ` · ${note.text}`}
          </Typography>
        </>
      ),
    },
    {
      title: 'Kind',
      field: 'kind',
      render: token => (token.kind === 'permanent' ? 'Permanent' : 'Temporary'),
    },
    {
      title: 'Created',
      field: 'createdAt',
      render: token => <DateTimeText value={token.createdAt} />,
    },
    {
      title: 'Expires',
      field: 'expiresAt',
      render: token => (
        <DateTimeText value={token.expiresAt} variant="expiry" />
      ),
    },
    {
      title: 'Last used',
      field: 'lastUsedAt',
      render: token => <DateTimeText value={token.lastUsedAt} />,
    },
    {
      title: 'State',
      field: 'state',
      render: token => (
        <Chip
          size="small"
          label={STATE_LABELS[token.state]}
          color={token.state === 'active' ? 'primary' : 'default'}
          variant={token.state === 'active' ? 'default' : 'outlined'}
        />
      ),
    },
  ];
  if (canRevoke) {
    columns.push({
      title: 'Actions',
      sorting: false,
      render: token =>
        token.state === 'active' ? (
          <Button
            size="small"
            color="secondary"
            variant="outlined"
            aria-describedby={nameId(token)}
            onClick={() => setRevokingId(token.id)}
          >
            Revoke
          </Button>
        ) : null,
    });
  }

  return (
    <InfoCard title={title} action={actions} noPadding>
      {error && <ApiErrorPanel error={error} title="Could not load tokens" />}
      <Table<ApiToken>
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
      {hasMore && (
        <Box display="flex" justifyContent="center" padding={1}>
          <Button onClick={onLoadMore} disabled={loading}>
            Load more tokens
          </Button>
        </Box>
      )}
      <ConfirmDialog
        open={Boolean(revoking)}
        title="Revoke this token?"
        confirmLabel="Revoke"
        onConfirm={async () => {
          if (revoking) await onRevoke(revoking);
        }}
        onClose={() => setRevokingId(undefined)}
      >
        Revoke <strong>{revoking?.name}</strong> (ends in …{revoking?.hint})?
        Scripts and tools that use it stop working within seconds. This cannot
        be undone.
      </ConfirmDialog>
    </InfoCard>
  );
}
