import { InfoCard, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { ApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { ReactNode, useState } from 'react';
import { PagedData } from '../../hooks';
import { describeScope } from '../../lib/scope';
import { apiTokensTranslationRef } from '../../translation';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ConfirmDialog } from '../ConfirmDialog';
import { DateTimeText } from '../DateTimeText';
import { ListTable } from '../ListTable';

/** Props of {@link TokenTable}. */
export interface TokenTableProps {
  title: string;
  /** The tokens as a paged data hook returns them. */
  tokens: PagedData<ApiToken>;
  /** Revokes a token; called after the viewer confirmed. */
  onRevoke(token: ApiToken): Promise<void>;
  /** Controls shown next to the title, e.g. an "Add" button. */
  actions?: ReactNode;
  emptyText: string;
  /** A note shown on one token's row, e.g. which one this session uses. */
  note?: { tokenId: string; text: string };
  /** Whether the viewer may revoke these tokens; true unless said otherwise. */
  canRevoke?: boolean;
  /** More of a token's actions, shown before Revoke (e.g. Rotate). */
  rowActions?(token: ApiToken): ReactNode;
  /** More about a token under its name (e.g. which token replaced it). */
  nameNote?(token: ApiToken): ReactNode;
}

function nameId(token: ApiToken) {
  return `api-token-name-${token.id}`;
}

/**
 * A list of tokens: name, kind, created, expires, last used, scope and
 * state, with Revoke behind a confirmation.
 */
export function TokenTable(props: TokenTableProps) {
  const {
    title,
    tokens,
    onRevoke,
    actions,
    emptyText,
    note,
    canRevoke = true,
    rowActions,
    nameNote,
  } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const [revokingId, setRevokingId] = useState<string>();
  const revoking = tokens.value.find(token => token.id === revokingId);

  const columns: TableColumn<ApiToken>[] = [
    {
      title: t('tokenTable.columns.name'),
      field: 'name',
      render: token => (
        <>
          <Typography variant="body2" id={nameId(token)}>
            {token.name}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {t('tokenTable.hint', { hint: token.hint })}
            {note?.tokenId === token.id && ` · ${note.text}`}
          </Typography>
          {nameNote?.(token)}
        </>
      ),
    },
    {
      title: t('tokenTable.columns.kind'),
      field: 'kind',
      render: token => t(`tokenTable.kinds.${token.kind}`),
    },
    {
      title: t('tokenTable.columns.created'),
      field: 'createdAt',
      render: token => <DateTimeText value={token.createdAt} />,
    },
    {
      title: t('tokenTable.columns.expires'),
      field: 'expiresAt',
      render: token => (
        <DateTimeText value={token.expiresAt} variant="expiry" />
      ),
    },
    {
      title: t('tokenTable.columns.lastUsed'),
      field: 'lastUsedAt',
      render: token => <DateTimeText value={token.lastUsedAt} />,
    },
    {
      title: t('tokenTable.columns.scope'),
      sorting: false,
      render: token => describeScope(token.scope, t),
    },
    {
      title: t('tokenTable.columns.state'),
      field: 'state',
      render: token => (
        <Chip
          size="small"
          label={t(`tokenTable.states.${token.state}`)}
          color={token.state === 'active' ? 'primary' : 'default'}
          variant={token.state === 'active' ? 'default' : 'outlined'}
        />
      ),
    },
  ];
  if (canRevoke || rowActions) {
    columns.push({
      title: t('tokenTable.columns.actions'),
      sorting: false,
      render: token => (
        <>
          {rowActions?.(token)}
          {canRevoke && token.state === 'active' && (
            <Button
              size="small"
              color="secondary"
              variant="outlined"
              aria-describedby={nameId(token)}
              onClick={() => setRevokingId(token.id)}
            >
              {t('tokenTable.revoke')}
            </Button>
          )}
        </>
      ),
    });
  }

  return (
    <InfoCard title={title} action={actions} noPadding>
      {tokens.error && (
        <ApiErrorPanel error={tokens.error} title={t('tokenTable.loadError')} />
      )}
      <ListTable
        columns={columns}
        items={tokens.value}
        rowId={token => token.id}
        loading={tokens.loading}
        emptyText={emptyText}
        hasMore={tokens.hasMore}
        onLoadMore={tokens.loadMore}
        loadMoreLabel={t('tokenTable.loadMore')}
      />
      <ConfirmDialog
        open={Boolean(revoking)}
        title={t('tokenTable.revokeTitle')}
        confirmLabel={t('tokenTable.revoke')}
        onConfirm={async () => {
          if (revoking) await onRevoke(revoking);
        }}
        onClose={() => setRevokingId(undefined)}
      >
        {t('tokenTable.revokeText', {
          name: <strong>{revoking?.name}</strong>,
          hint: revoking?.hint ?? '',
        })}
      </ConfirmDialog>
    </InfoCard>
  );
}
