import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { ApiToken } from '@internal/plugin-api-tokens-common';
import { useEffect } from 'react';
import { apiTokensApiRef } from '../../api';
import { useOwnFaults, useOwnTokens, useTemporaryToken } from '../../hooks';
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
  const temporary = useTemporaryToken();
  const temporaryTokenId = temporary.value?.token.id;
  // Read once the temporary token is there, so that it is in the list.
  const tokens = useOwnTokens([temporaryTokenId], !temporary.loading);
  const faults = useOwnFaults();

  // The session's token may have been revoked elsewhere since it was stored.
  const storedTokenState = tokens.items.find(
    token => token.id === temporaryTokenId,
  )?.state;
  const { renew } = temporary;
  useEffect(() => {
    if (storedTokenState && storedTokenState !== 'active') {
      renew();
    }
  }, [storedTokenState, renew]);

  const revoke = async (token: ApiToken) => {
    await api.revokeToken(token.id);
    if (token.id === temporaryTokenId) {
      // Its replacement reloads the list.
      temporary.renew();
    } else {
      tokens.reload();
    }
    faults.retry();
  };

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <TemporaryTokenCard
          loading={temporary.loading}
          error={temporary.error}
          value={temporary.value}
          onRetry={temporary.renew}
        />
      </Grid>
      <Grid item>
        <TokenTable
          title="Your API tokens"
          tokens={tokens.items}
          loading={tokens.loading}
          error={tokens.error}
          hasMore={tokens.hasMore}
          onLoadMore={tokens.loadMore}
          onRevoke={revoke}
          emptyText="You have no API tokens. Administrators create permanent tokens for you; your temporary token appears here once created."
          note={
            temporaryTokenId
              ? { tokenId: temporaryTokenId, text: 'this session' }
              : undefined
          }
        />
      </Grid>
      <Grid item>
        <InfoCard
          title="Expiry warnings"
          subheader="Raised when one of your tokens is about to expire"
          noPadding
        >
          {faults.error ? (
            <ApiErrorPanel
              error={faults.error}
              title="Could not load expiry warnings"
            />
          ) : (
            <FaultTable
              faults={faults.value ?? []}
              loading={faults.loading}
              emptyText="None of your tokens is about to expire."
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
