import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ApiToken,
  ApiTokenState,
  apiTokensCreatePermission,
  apiTokensRevokePermission,
  CreatedApiToken,
} from '@internal/plugin-api-tokens-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import { useState } from 'react';
import { apiTokensApiRef } from '../../api';
import { useUserTokens } from '../../hooks';
import { apiTokensTranslationRef } from '../../translation';
import { AddButton } from '../AddButton';
import { CreatedTokenDialog } from '../CreatedTokenDialog';
import { CreateTokenDialog } from '../CreateTokenDialog';
import { TokenTable } from '../TokenTable';

const ALL_STATES: ApiTokenState[] = ['active', 'expired', 'revoked'];

/** Props of {@link UserTokensPanel}. */
export interface UserTokensPanelProps {
  /** e.g. `user:default/jane` */
  userRef: string;
  /** How to call the user, e.g. their display name. */
  userName: string;
}

/**
 * The "Tokens" tab of a user's admin page: the user's tokens, Add (create a
 * permanent token, shown once) and Revoke.
 */
export function UserTokensPanel(props: UserTokensPanelProps) {
  const { userRef, userName } = props;
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const [states, setStates] = useState<ApiTokenState[]>(['active']);
  const tokens = useUserTokens(userRef, states);
  const canCreate = usePermission({ permission: apiTokensCreatePermission });
  const canRevoke = usePermission({ permission: apiTokensRevokePermission });
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken>();

  const revoke = async (token: ApiToken) => {
    await api.revokeToken(token.id);
    tokens.retry();
  };

  const toggleState = (state: ApiTokenState) =>
    setStates(current =>
      current.includes(state)
        ? current.filter(s => s !== state)
        : ALL_STATES.filter(s => s === state || current.includes(s)),
    );

  return (
    <>
      <Box
        display="flex"
        alignItems="center"
        gridGap={8}
        marginBottom={2}
        role="group"
        aria-label={t('user.stateFilter')}
      >
        {ALL_STATES.map(state => (
          <Chip
            key={state}
            label={t(`tokenTable.states.${state}`)}
            clickable
            role="checkbox"
            aria-checked={states.includes(state)}
            color={states.includes(state) ? 'primary' : 'default'}
            variant={states.includes(state) ? 'default' : 'outlined'}
            onClick={() => toggleState(state)}
          />
        ))}
      </Box>
      <TokenTable
        title={t('user.tokensTitle')}
        tokens={tokens}
        onRevoke={revoke}
        canRevoke={canRevoke.allowed}
        emptyText={
          states.length === 1 && states[0] === 'active'
            ? t('user.noTokens', { userName })
            : t('user.noTokensInState', { userName })
        }
        actions={
          canCreate.allowed && <AddButton onClick={() => setAdding(true)} />
        }
      />
      <CreateTokenDialog
        open={adding}
        userRef={userRef}
        userName={userName}
        onClose={() => setAdding(false)}
        onCreated={token => {
          setAdding(false);
          setCreated(token);
          tokens.retry();
        }}
      />
      <CreatedTokenDialog
        created={created}
        onClose={() => setCreated(undefined)}
      />
    </>
  );
}
