import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import {
  ApiTokenLookupResult,
  apiTokensReadPermission,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { FormEvent, useState } from 'react';
import { apiTokensApiRef } from '../../api';
import {
  apiTokensTranslationRef,
  ApiTokensTranslation,
} from '../../translation';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { DateTimeText } from '../DateTimeText';
import { PermissionGate } from '../PermissionGate';

function stateLabel(
  result: ApiTokenLookupResult,
  t: ApiTokensTranslation,
): string {
  if (result.revokedReason === 'leaked') return t('adminLookup.state.leaked');
  return t(`adminLookup.state.${result.token.state}`);
}

function LookupResult(props: { result: ApiTokenLookupResult }) {
  const { result } = props;
  const { token } = result;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const metadata: Record<string, unknown> = {
    [t('adminLookup.fields.name')]: token.name,
    [t('adminLookup.fields.owner')]: token.ownerRef,
    [t('adminLookup.fields.kind')]: token.kind,
    [t('adminLookup.fields.state')]: stateLabel(result, t),
    [t('adminLookup.fields.createdBy')]: token.createdBy,
    [t('adminLookup.fields.createdAt')]: (
      <DateTimeText value={token.createdAt} />
    ),
    [t('adminLookup.fields.expiresAt')]: (
      <DateTimeText value={token.expiresAt} variant="expiry" />
    ),
    [t('adminLookup.fields.lastUsedAt')]: token.lastUsedAt ? (
      <DateTimeText value={token.lastUsedAt} />
    ) : (
      t('common.never')
    ),
  };
  if (token.revokedAt) {
    metadata[t('adminLookup.fields.revokedAt')] = (
      <DateTimeText value={token.revokedAt} />
    );
    metadata[t('adminLookup.fields.revokedBy')] = token.revokedBy ?? '';
  }
  if (result.leakUrl) {
    metadata[t('adminLookup.fields.leakUrl')] = result.leakUrl;
  }
  return (
    <InfoCard title={t('adminLookup.result')}>
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}

function LookupView() {
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const [value, setValue] = useState('');
  const [loading, setLoading] = useState(false);
  const [result, setResult] = useState<ApiTokenLookupResult>();
  const [error, setError] = useState<Error>();

  const lookUp = async (event: FormEvent) => {
    event.preventDefault();
    setLoading(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.lookUpToken(value.trim()));
      // The value is not kept once it has been answered.
      setValue('');
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <InfoCard
          title={t('adminLookup.title')}
          subheader={t('adminLookup.subheader')}
        >
          <form onSubmit={lookUp}>
            <Box display="flex" alignItems="center" style={{ gap: 16 }}>
              <TextField
                id="api-tokens-lookup-token"
                label={t('adminLookup.token')}
                type="password"
                autoComplete="off"
                variant="outlined"
                size="small"
                fullWidth
                value={value}
                onChange={e => setValue(e.target.value)}
              />
              <Button
                type="submit"
                color="primary"
                variant="contained"
                disabled={loading || !value.trim()}
                startIcon={loading ? <CircularProgress size={16} /> : undefined}
              >
                {t('adminLookup.submit')}
              </Button>
            </Box>
          </form>
        </InfoCard>
      </Grid>
      {error && (
        <Grid item>
          <ApiErrorPanel error={error} title={t('adminLookup.error')} />
        </Grid>
      )}
      {result && (
        <Grid item>
          <LookupResult result={result} />
        </Grid>
      )}
    </Grid>
  );
}

/**
 * Administrator → Look up a token: an admin pastes a token value found
 * somewhere (a password field, so it is not shown) and sees whose it is and
 * its state, for incident response. Refuses people without the permission
 * to read tokens. Renders no header, so it serves both frontend systems.
 *
 * @public
 */
export function AdminLookupContent() {
  return (
    <PermissionGate permission={apiTokensReadPermission}>
      <LookupView />
    </PermissionGate>
  );
}
