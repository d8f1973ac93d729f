import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ApiToken,
  apiTokensCreatePermission,
  apiTokensRevokePermission,
  CreatedApiToken,
} from '@internal/plugin-api-tokens-common';
import { useState } from 'react';
import { apiTokensApiRef } from '../../api';
import { useUserTokens } from '../../hooks';
import { apiTokensTranslationRef } from '../../translation';
import { AddButton } from '../AddButton';
import { CreatedTokenDialog } from '../CreatedTokenDialog';
import { CreateTokenDialog } from '../CreateTokenDialog';
import { TokenTable } from '../TokenTable';

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
  const tokens = useUserTokens(userRef);
  const canCreate = usePermission({ permission: apiTokensCreatePermission });
  const canRevoke = usePermission({ permission: apiTokensRevokePermission });
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken>();

  const revoke = async (token: ApiToken) => {
    await api.revokeToken(token.id);
    tokens.retry();
  };

  return (
    <>
      <TokenTable
        title={t('user.tokensTitle')}
        tokens={tokens}
        onRevoke={revoke}
        canRevoke={canRevoke.allowed}
        emptyText={t('user.noTokens', { userName })}
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
