import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ApiToken,
  ApiTokenState,
  apiTokensCreatePermission,
  apiTokensRevokePermission,
  apiTokensRotatePermission,
  CreatedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
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
 * permanent token, shown once), Rotate (a new token shown once, the old one
 * working for an overlap), Details (rotation links, recent clients) and
 * Revoke.
 */
export function UserTokensPanel(props: UserTokensPanelProps) {
  const { userRef, userName } = props;
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const [states, setStates] = useState<ApiTokenState[]>(['active']);
  const tokens = useUserTokens(userRef, states);
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
        rowActions={rowActions}
        nameNote={rotationNote}
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
