import { TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { ApiTokenFault } from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  apiTokensTranslationRef,
  ApiTokensTranslation,
} from '../../translation';
import { DateTimeText } from '../DateTimeText';
import { ListTable } from '../ListTable';

/** Props of {@link FaultTable}. */
export interface FaultTableProps {
  faults: ApiTokenFault[];
  loading: boolean;
  emptyText: string;
  /** Whether to show whose token it is (the admin view). */
  showOwner?: boolean;
  hasMore?: boolean;
  onLoadMore?(): void;
  /**
   * Acknowledges an open fault (admins with api-tokens.faults.update), which
   * stops its emails and notices; without it, no Acknowledge button.
   */
  onAcknowledge?(fault: ApiTokenFault): Promise<void>;
}

function statusLabel(fault: ApiTokenFault, t: ApiTokensTranslation): string {
  if (fault.status === 'open') return t('faultTable.status.open');
  if (fault.resolution === 'revoked') {
    return t('faultTable.status.resolvedRevoked');
  }
  if (fault.resolution === 'expired') {
    return t('faultTable.status.resolvedExpired');
  }
  return t('faultTable.status.resolved');
}

/**
 * Faults: which token, when it expires, when the fault was raised; for an
 * email that gave up, which token's email and which address; for a leak,
 * where the token was found.
 */
export function FaultTable(props: FaultTableProps) {
  const { faults, loading, emptyText, showOwner, hasMore, onLoadMore } = props;
  const { onAcknowledge } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const [acknowledging, setAcknowledging] = useState<string>();

  const columns: TableColumn<ApiTokenFault>[] = [
    {
      title: t('faultTable.columns.token'),
      field: 'tokenName',
      render: fault => {
        if (fault.kind === 'email-undeliverable') {
          return t('faultTable.emailUndeliverable', {
            tokenName: fault.tokenName,
            address: fault.emailAddress ?? '',
          });
        }
        if (fault.kind === 'leaked') {
          return t('faultTable.leaked', {
            tokenName: fault.tokenName,
            url: fault.leakUrl ?? '',
          });
        }
        return fault.tokenName;
      },
    },
    ...(showOwner
      ? [
          {
            title: t('faultTable.columns.owner'),
            field: 'ownerRef',
            render: fault => (
              <EntityRefLink entityRef={fault.ownerRef} defaultKind="user" />
            ),
          } as TableColumn<ApiTokenFault>,
        ]
      : []),
    {
      title: t('faultTable.columns.expires'),
      field: 'expiresAt',
      render: fault => (
        <DateTimeText value={fault.expiresAt} variant="expiry" />
      ),
    },
    {
      title: t('faultTable.columns.warning'),
      field: 'thresholdDays',
      render: fault =>
        fault.kind === 'leaked'
          ? t('faultTable.leakedWarning')
          : t('faultTable.warning', { count: fault.thresholdDays }),
    },
    {
      title: t('faultTable.columns.raised'),
      field: 'raisedAt',
      render: fault => <DateTimeText value={fault.raisedAt} />,
    },
    {
      title: t('faultTable.columns.status'),
      field: 'status',
      render: fault => (
        <>
          <Chip
            size="small"
            label={statusLabel(fault, t)}
            color={fault.status === 'open' ? 'secondary' : 'default'}
            variant={fault.status === 'open' ? 'default' : 'outlined'}
          />
          {fault.acknowledgedAt && (
            <Typography variant="caption" display="block">
              {t('faultTable.acknowledgedBy', {
                user: fault.acknowledgedBy ?? '',
              })}{' '}
              <DateTimeText value={fault.acknowledgedAt} />
            </Typography>
          )}
        </>
      ),
    },
  ];
  if (onAcknowledge) {
    columns.push({
      title: t('faultTable.columns.actions'),
      sorting: false,
      render: fault =>
        fault.status === 'open' && !fault.acknowledgedAt ? (
          <Button
            size="small"
            variant="outlined"
            disabled={acknowledging === fault.id}
            onClick={async () => {
              setAcknowledging(fault.id);
              try {
                await onAcknowledge(fault);
              } finally {
                setAcknowledging(undefined);
              }
            }}
          >
            {t('faultTable.acknowledge')}
          </Button>
        ) : null,
    });
  }

  return (
    <ListTable
      columns={columns}
      items={faults}
      rowId={fault => fault.id}
      loading={loading}
      emptyText={emptyText}
      hasMore={hasMore}
      onLoadMore={onLoadMore}
      loadMoreLabel={t('faultTable.loadMore')}
    />
  );
}
