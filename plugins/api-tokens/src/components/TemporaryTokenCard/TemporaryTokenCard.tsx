import { CopyTextButton, InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Visibility from '@material-ui/icons/Visibility';
import VisibilityOff from '@material-ui/icons/VisibilityOff';
import { CreatedApiToken } from '@internal/plugin-api-tokens-common';
import { useState } from 'react';
import { formatDateTime, formatExpiry } from '../../lib/dates';
import { ApiErrorPanel } from '../ApiErrorPanel';

/** Props of {@link TemporaryTokenCard}. */
export interface TemporaryTokenCardProps {
  loading: boolean;
  error?: Error;
  value?: CreatedApiToken;
  onRetry(): void;
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
  const { loading, error, value, onRetry } = props;
  const classes = useStyles();
  const [revealed, setRevealed] = useState(false);

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <>
        <ApiErrorPanel
          error={error}
          title="Could not get your temporary API token"
        />
        <Box marginTop={1}>
          <Button variant="outlined" onClick={onRetry}>
            Try again
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
            aria-label="Copy temporary API token"
            tooltipText="Temporary API token copied to the clipboard"
          />
          <IconButton
            size="small"
            aria-label={
              revealed ? 'Hide temporary API token' : 'Show temporary API token'
            }
            aria-pressed={revealed}
            onClick={() => setRevealed(r => !r)}
          >
            {revealed ? <VisibilityOff /> : <Visibility />}
          </IconButton>
        </Box>
        <Typography variant="body2">
          Expires{' '}
          <time dateTime={token.expiresAt}>
            {formatDateTime(token.expiresAt)}
          </time>{' '}
          ({formatExpiry(token.expiresAt)})
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Send it as <code>Authorization: Bearer &lt;token&gt;</code> to act as
          yourself from scripts and tools. It stops working when it expires;
          this page then gives you a new one.
        </Typography>
      </>
    );
  }

  return (
    <InfoCard
      title="Temporary API Token"
      subheader="A token for this browser session, with your own permissions"
    >
      {body}
    </InfoCard>
  );
}
