import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import { ApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { useEffect } from 'react';
import { apiTokensApiRef } from '../../api';
import { useOwnFaults, useOwnTokens, useTemporaryToken } from '../../hooks';
import { apiTokensTranslationRef } from '../../translation';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { FaultTable } from '../FaultTable';
import { TemporaryTokenCard } from '../TemporaryTokenCard';
import { TokenTable } from '../TokenTable';

/**
 * The "API Tokens" tab of the Settings page: the session's temporary token,
 * the signed-in user's own tokens and the expiry faults raised for them.
 * Renders no header, so it serves both frontend systems.
 *
 * @public
 */
export function ApiTokensSettingsContent() {
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const temporary = useTemporaryToken();
  const temporaryTokenId = temporary.value?.token.id;
  // Read once the temporary token is there, so that it is in the list.
  const tokens = useOwnTokens([temporaryTokenId], !temporary.loading);
  const faults = useOwnFaults();

  // The session's token may have been revoked or have expired since it was
  // shown; reading it again gets its replacement.
  const shownTokenState = tokens.value.find(
    token => token.id === temporaryTokenId,
  )?.state;
  const { retry: replaceTemporary } = temporary;
  useEffect(() => {
    if (shownTokenState && shownTokenState !== 'active') {
      replaceTemporary();
    }
  }, [shownTokenState, replaceTemporary]);

  const revoke = async (token: ApiToken) => {
    await api.revokeToken(token.id);
    if (token.id === temporaryTokenId) {
      // Its replacement reloads the list.
      replaceTemporary();
    } else {
      tokens.retry();
    }
    faults.retry();
  };

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <TemporaryTokenCard token={temporary} />
      </Grid>
      <Grid item>
        <TokenTable
          title={t('ownTokens.title')}
          tokens={tokens}
          onRevoke={revoke}
          emptyText={t('ownTokens.empty')}
          note={
            temporaryTokenId
              ? { tokenId: temporaryTokenId, text: t('ownTokens.thisSession') }
              : undefined
          }
        />
      </Grid>
      <Grid item>
        <InfoCard
          title={t('ownTokens.faultsTitle')}
          subheader={t('ownTokens.faultsSubheader')}
          noPadding
        >
          {faults.error ? (
            <ApiErrorPanel
              error={faults.error}
              title={t('ownTokens.faultsLoadError')}
            />
          ) : (
            <FaultTable
              faults={faults.value ?? []}
              loading={faults.loading}
              emptyText={t('ownTokens.faultsEmpty')}
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
