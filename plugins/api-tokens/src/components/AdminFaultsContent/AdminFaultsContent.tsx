import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import {
  ApiTokenFaultStatus,
  apiTokensFaultsReadPermission,
  apiTokensFaultsUpdatePermission,
  ExpiryCheckResult,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { apiTokensApiRef } from '../../api';
import { useFaults } from '../../hooks';
import { apiTokensTranslationRef } from '../../translation';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ExpiryCheckResultPanel } from '../ExpiryCheckResultPanel';
import { FaultTable } from '../FaultTable';
import { PermissionGate } from '../PermissionGate';

/** `jane` means `user:default/jane`; a full ref is kept as it is. */
export function toOwnerRef(owner: string): string | undefined {
  const trimmed = owner.trim();
  if (!trimmed) return undefined;
  return trimmed.includes(':') || trimmed.includes('/')
    ? trimmed
    : `user:default/${trimmed}`;
}

function FaultsView() {
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const [status, setStatus] = useState<ApiTokenFaultStatus | 'all'>('all');
  const [owner, setOwner] = useState('');
  const [ownerRef, setOwnerRef] = useState<string>();
  useDebounce(() => setOwnerRef(toOwnerRef(owner)), 300, [owner]);
  const faults = useFaults({
    status: status === 'all' ? undefined : status,
    ownerRef,
  });
  const canAcknowledge = usePermission({
    permission: apiTokensFaultsUpdatePermission,
  });
  const [checking, setChecking] = useState(false);
  const [checkResult, setCheckResult] = useState<ExpiryCheckResult>();
  const [checkError, setCheckError] = useState<Error>();

  const runCheck = async () => {
    setChecking(true);
    setCheckError(undefined);
    setCheckResult(undefined);
    try {
      setCheckResult(await api.runExpiryCheck());
      faults.retry();
    } catch (e) {
      setCheckError(e as Error);
    } finally {
      setChecking(false);
    }
  };

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <InfoCard
          title={t('adminFaults.title')}
          subheader={t('adminFaults.subheader')}
          noPadding
          action={
            <Button
              color="primary"
              variant="contained"
              onClick={runCheck}
              disabled={checking}
              startIcon={checking ? <CircularProgress size={16} /> : undefined}
            >
              {t('adminFaults.runCheck')}
            </Button>
          }
        >
          <Box display="flex" padding={2} style={{ gap: 16 }}>
            <TextField
              select
              id="api-tokens-faults-status"
              label={t('adminFaults.status')}
              variant="outlined"
              size="small"
              value={status}
              onChange={e =>
                setStatus(e.target.value as ApiTokenFaultStatus | 'all')
              }
              SelectProps={{ native: true }}
            >
              <option value="all">{t('adminFaults.statusAll')}</option>
              <option value="open">{t('adminFaults.statusOpen')}</option>
              <option value="resolved">
                {t('adminFaults.statusResolved')}
              </option>
            </TextField>
            <TextField
              id="api-tokens-faults-owner"
              label={t('adminFaults.owner')}
              placeholder={t('adminFaults.ownerPlaceholder')}
              variant="outlined"
              size="small"
              value={owner}
              onChange={e => setOwner(e.target.value)}
            />
          </Box>
          {faults.error && (
            <ApiErrorPanel
              error={faults.error}
              title={t('adminFaults.loadError')}
            />
          )}
          <FaultTable
            showOwner
            onAcknowledge={
              canAcknowledge.allowed
                ? async fault => {
                    await api.acknowledgeFault(fault.id);
                    faults.retry();
                  }
                : undefined
            }
            faults={faults.value}
            loading={faults.loading}
            hasMore={faults.hasMore}
            onLoadMore={faults.loadMore}
            emptyText={
              status === 'all' && !ownerRef
                ? t('adminFaults.empty')
                : t('adminFaults.emptyFiltered')
            }
          />
        </InfoCard>
      </Grid>
      {checkError && (
        <Grid item>
          <ApiErrorPanel
            error={checkError}
            title={t('adminFaults.checkError')}
          />
        </Grid>
      )}
      {checkResult && (
        <Grid item>
          <ExpiryCheckResultPanel result={checkResult} />
        </Grid>
      )}
    </Grid>
  );
}

/**
 * Administrator → Faults: the expiry faults raised for every user's tokens,
 * filterable by status and owner, and a button that runs the expiry check
 * now. Refuses people without the permission to read faults. Renders no
 * header, so it serves both frontend systems.
 *
 * @public
 */
export function AdminFaultsContent() {
  return (
    <PermissionGate permission={apiTokensFaultsReadPermission}>
      <FaultsView />
    </PermissionGate>
  );
}
