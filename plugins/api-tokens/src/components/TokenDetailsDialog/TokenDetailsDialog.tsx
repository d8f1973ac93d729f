import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { apiTokensTranslationRef } from '../../translation';
import { DateTimeText } from '../DateTimeText';

/** Props of {@link TokenDetailsDialog}. */
export interface TokenDetailsDialogProps {
  /** The token shown; the dialog is open while there is one. */
  token?: ApiToken;
  /** The tokens listed with it, to name the ones it is linked to. */
  tokens: ApiToken[];
  /** Shows another token, e.g. the one that replaced this one. */
  onShow(token: ApiToken): void;
  onClose(): void;
}

/**
 * An admin's view of one token: the tokens it replaced or was replaced by,
 * and the client addresses and user agents that used it last.
 */
export function TokenDetailsDialog(props: TokenDetailsDialogProps) {
  const { token, tokens, onShow, onClose } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const linked = (id: string | null | undefined) =>
    id ? tokens.find(other => other.id === id) : undefined;
  const links = token
    ? [
        { label: t('tokenDetails.replaces'), other: linked(token.rotatedFrom) },
        {
          label: t('tokenDetails.replacedBy'),
          other: linked(token.rotatedTo),
        },
      ].filter(link => link.other)
    : [];
  const clients = token?.recentClients ?? [];

  return (
    <Dialog
      open={Boolean(token)}
      onClose={onClose}
      aria-labelledby="api-tokens-details-title"
      fullWidth
      maxWidth="md"
    >
      <DialogTitle id="api-tokens-details-title">
        {t('tokenDetails.title', { name: token?.name ?? '' })}
      </DialogTitle>
      {token && (
        <DialogContent>
          {links.map(({ label, other }) => (
            <Typography key={label} variant="body2">
              {label}{' '}
              <Link component="button" onClick={() => onShow(other!)}>
                {other!.name} (…{other!.hint})
              </Link>
            </Typography>
          ))}
          <Typography variant="h6" component="h3">
            {t('tokenDetails.clientsTitle')}
          </Typography>
          {clients.length === 0 ? (
            <Typography variant="body2">
              {t('tokenDetails.noClients')}
            </Typography>
          ) : (
            <Table size="small" aria-label={t('tokenDetails.clientsTitle')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('tokenDetails.columns.address')}</TableCell>
                  <TableCell>{t('tokenDetails.columns.userAgent')}</TableCell>
                  <TableCell>{t('tokenDetails.columns.lastUsed')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {clients.map(client => (
                  <TableRow key={client.address}>
                    <TableCell>{client.address}</TableCell>
                    <TableCell>{client.userAgent}</TableCell>
                    <TableCell>
                      <DateTimeText value={client.lastUsedAt} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </DialogContent>
      )}
      <DialogActions>
        <Button onClick={onClose}>{t('tokenDetails.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}
