import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import { CreatedApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { useEffect, useState } from 'react';
import { formatDateTime, formatExpiry } from '../../lib/dates';
import { describeScope } from '../../lib/scope';
import { apiTokensTranslationRef } from '../../translation';

/** Props of {@link CreatedTokenDialog}. */
export interface CreatedTokenDialogProps {
  /** The token just created; the dialog is open while there is one. */
  created?: CreatedApiToken;
  onClose(): void;
}

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Shows a new token's secret, the only time it is ever shown, with a Copy
 * button. Until the secret was copied (with the button or by hand), Escape,
 * a click outside and Done ask before closing, so it is not lost by
 * accident.
 */
export function CreatedTokenDialog(props: CreatedTokenDialogProps) {
  const { created, onClose } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const [copyState, setCopyState] = useState<CopyState>('idle');
  const [askingToClose, setAskingToClose] = useState(false);

  useEffect(() => {
    setCopyState('idle');
    setAskingToClose(false);
  }, [created]);
  const scope = created?.token.scope;

  const copy = async () => {
    if (!created) return;
    try {
      await window.navigator.clipboard.writeText(created.secret);
      setCopyState('copied');
    } catch {
      setCopyState('failed');
    }
  };

  const requestClose = () => {
    if (copyState === 'copied') {
      onClose();
    } else {
      setAskingToClose(true);
    }
  };

  return (
    <Dialog
      open={Boolean(created)}
      onClose={requestClose}
      aria-labelledby="api-tokens-created-title"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="api-tokens-created-title">
        {t('createdToken.title')}
      </DialogTitle>
      {created && (
        <DialogContent>
          <DialogContentText>{t('createdToken.warning')}</DialogContentText>
          <Box display="flex" alignItems="center">
            <TextField
              fullWidth
              variant="outlined"
              margin="dense"
              id="api-tokens-created-secret"
              label={t('createdToken.secret')}
              value={created.secret}
              InputProps={{
                readOnly: true,
                style: { fontFamily: 'monospace' },
              }}
              onFocus={e => e.target.select()}
              onCopy={() => setCopyState('copied')}
            />
            <Box marginLeft={1}>
              <Button
                variant="contained"
                color="primary"
                startIcon={<FileCopyIcon />}
                onClick={copy}
              >
                {t('createdToken.copy')}
              </Button>
            </Box>
          </Box>
          <Typography role="status" variant="body2">
            {copyState === 'copied' && t('createdToken.copied')}
            {copyState === 'failed' && t('createdToken.copyFailed')}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {t('createdToken.expires', {
              name: <strong>{created.token.name}</strong>,
              time: formatDateTime(created.token.expiresAt),
              expiry: formatExpiry(created.token.expiresAt, t),
            })}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {t('createdToken.scope', {
              scope: describeScope(scope ?? null, t),
            })}
          </Typography>
          {scope?.permissions && scope.permissions.length > 0 && (
            <Typography variant="body2" color="textSecondary">
              {t('createdToken.scopePermissions', {
                permissions: scope.permissions.join(', '),
              })}
            </Typography>
          )}
        </DialogContent>
      )}
      {askingToClose ? (
        <DialogActions>
          <Box flexGrow={1} paddingLeft={2}>
            <Typography role="alert" variant="body2">
              {t('createdToken.notCopied')}
            </Typography>
          </Box>
          <Button onClick={() => setAskingToClose(false)}>
            {t('createdToken.goBack')}
          </Button>
          <Button color="secondary" onClick={onClose}>
            {t('createdToken.closeAnyway')}
          </Button>
        </DialogActions>
      ) : (
        <DialogActions>
          <Button onClick={requestClose}>{t('createdToken.done')}</Button>
        </DialogActions>
      )}
    </Dialog>
  );
}
