import { CopyTextButton, InfoCard, Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Visibility from '@material-ui/icons/Visibility';
import VisibilityOff from '@material-ui/icons/VisibilityOff';
import { CreatedApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { useState } from 'react';
import { AsyncData } from '../../hooks';
import { formatDateTime, formatExpiry } from '../../lib/dates';
import { apiTokensTranslationRef } from '../../translation';
import { ApiErrorPanel } from '../ApiErrorPanel';

/** Props of {@link TemporaryTokenCard}. */
export interface TemporaryTokenCardProps {
  /** The session's token as `useTemporaryToken` returns it. */
  token: AsyncData<CreatedApiToken>;
}

const useStyles = makeStyles(theme => ({
  token: {
    fontFamily: 'monospace',
    wordBreak: 'break-all',
    marginRight: theme.spacing(1),
  },
}));

/**
 * The "Temporary API Token" area: the session's token behind a copy button,
 * and when it expires.
 */
export function TemporaryTokenCard(props: TemporaryTokenCardProps) {
  const { loading, error, value, retry } = props.token;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const classes = useStyles();
  const [revealed, setRevealed] = useState(false);

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <>
        <ApiErrorPanel error={error} title={t('temporaryToken.loadError')} />
        <Box marginTop={1}>
          <Button variant="outlined" onClick={retry}>
            {t('temporaryToken.tryAgain')}
          </Button>
        </Box>
      </>
    );
  } else if (value) {
    const { secret, token } = value;
    const masked = `${secret.slice(0, 5)}${'•'.repeat(12)}${token.hint}`;
    body = (
      <>
        <Box display="flex" alignItems="center" flexWrap="wrap">
          <Typography
            className={classes.token}
            data-testid="temporary-api-token"
          >
            {revealed ? secret : masked}
          </Typography>
          <CopyTextButton
            text={secret}
            aria-label={t('temporaryToken.copy')}
            tooltipText={t('temporaryToken.copied')}
          />
          <IconButton
            size="small"
            aria-label={
              revealed ? t('temporaryToken.hide') : t('temporaryToken.show')
            }
            aria-pressed={revealed}
            onClick={() => setRevealed(r => !r)}
          >
            {revealed ? <VisibilityOff /> : <Visibility />}
          </IconButton>
        </Box>
        <Typography variant="body2">
          {t('temporaryToken.expires', {
            time: (
              <time dateTime={token.expiresAt}>
                {formatDateTime(token.expiresAt)}
              </time>
            ),
            expiry: formatExpiry(token.expiresAt, t),
          })}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {t('temporaryToken.usage', {
            header: <code>Authorization: Bearer &lt;token&gt;</code>,
          })}
        </Typography>
      </>
    );
  }

  return (
    <InfoCard
      title={t('temporaryToken.title')}
      subheader={t('temporaryToken.subheader')}
    >
      {body}
    </InfoCard>
  );
}
