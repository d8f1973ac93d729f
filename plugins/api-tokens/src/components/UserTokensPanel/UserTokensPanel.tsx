import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ApiToken,
  apiTokensCreatePermission,
  apiTokensRevokePermission,
  apiTokensRotatePermission,
  CreatedApiToken,
} from '@internal/plugin-api-tokens-common';
import { useState } from 'react';
import { apiTokensApiRef } from '../../api';
import { useUserTokens } from '../../hooks';
import { apiTokensTranslationRef } from '../../translation';
import { AddButton } from '../AddButton';
import { CreatedTokenDialog } from '../CreatedTokenDialog';
import { CreateTokenDialog } from '../CreateTokenDialog';
import { RotateTokenDialog } from '../RotateTokenDialog';
import { TokenDetailsDialog } from '../TokenDetailsDialog';
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
 * permanent token, shown once), Rotate (a new token shown once, the old one
 * working for an overlap), Details (rotation links, recent clients) and
 * Revoke.
 */
export function UserTokensPanel(props: UserTokensPanelProps) {
  const { userRef, userName } = props;
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const tokens = useUserTokens(userRef);
  const canCreate = usePermission({ permission: apiTokensCreatePermission });
  const canRevoke = usePermission({ permission: apiTokensRevokePermission });
  const canRotate = usePermission({ permission: apiTokensRotatePermission });
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken>();
  const [rotating, setRotating] = useState<ApiToken>();
  const [viewing, setViewing] = useState<ApiToken>();
  const byId = (id: string | null | undefined) =>
    id ? tokens.value.find(token => token.id === id) : undefined;

  const rotationNote = (token: ApiToken) => {
    const links = [
      { key: 'replacedBy', other: byId(token.rotatedTo) },
      { key: 'replaces', other: byId(token.rotatedFrom) },
    ] as const;
    return links.map(({ key, other }) =>
      other ? (
        <Typography key={key} variant="caption" component="div">
          <Link component="button" onClick={() => setViewing(other)}>
            {t(`tokenTable.${key}`, { hint: other.hint })}
          </Link>
        </Typography>
      ) : null,
    );
  };

  const rowActions = (token: ApiToken) => (
    <>
      <Button size="small" onClick={() => setViewing(token)}>
        {t('tokenTable.details')}
      </Button>
      {canRotate.allowed &&
        token.kind === 'permanent' &&
        token.state === 'active' &&
        !token.rotatedTo && (
          <Button
            size="small"
            color="primary"
            variant="outlined"
            aria-describedby={`api-token-name-${token.id}`}
            onClick={() => setRotating(token)}
          >
            {t('tokenTable.rotate')}
          </Button>
        )}
    </>
  );

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
        rowActions={rowActions}
        nameNote={rotationNote}
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
      <RotateTokenDialog
        token={rotating}
        onClose={() => setRotating(undefined)}
        onRotated={rotated => {
          setRotating(undefined);
          setCreated(rotated);
          tokens.retry();
        }}
      />
      <TokenDetailsDialog
        token={viewing && (byId(viewing.id) ?? viewing)}
        tokens={tokens.value}
        onShow={setViewing}
        onClose={() => setViewing(undefined)}
      />
      <CreatedTokenDialog
        created={created}
        onClose={() => setCreated(undefined)}
      />
    </>
  );
}
