import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import DialogContentText from '@material-ui/core/DialogContentText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  ApiToken,
  CreatedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { apiTokensApiRef } from '../../api';
import { useTokenLimits } from '../../hooks';
import { formatDate, toDateInputValue } from '../../lib/dates';
import { errorMessage } from '../../lib/errorMessage';
import { apiTokensTranslationRef } from '../../translation';
import {
  expiryFromDate,
  validateDate,
} from '../CreateTokenDialog/CreateTokenDialog';
import { FormDialog, useOpeningKey } from '../FormDialog';

/** The overlaps the picker offers, in hours. */
const OVERLAP_HOURS = ['0', '1', '4', '24', '72', '168'] as const;
const DEFAULT_OVERLAP = '24';

/** Props of {@link RotateTokenDialog}. */
export interface RotateTokenDialogProps {
  /** The token to rotate; the dialog is open while there is one. */
  token?: ApiToken;
  onClose(): void;
  onRotated(created: CreatedApiToken): void;
}

function RotateTokenForm(props: RotateTokenDialogProps & { token: ApiToken }) {
  const { token, onClose, onRotated } = props;
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const limits = useTokenLimits();
  const [overlap, setOverlap] = useState<string>(DEFAULT_OVERLAP);
  const [date, setDate] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string>();

  const maxDate = limits.value
    ? toDateInputValue(limits.value.permanentTokenMaxExpiresAt)
    : undefined;
  const dateError = validateDate(t, date, maxDate);
  const canSubmit = !dateError && !limits.loading;

  const submit = async () => {
    if (!canSubmit || submitting) return;
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      onRotated(
        await api.rotateToken(token.id, {
          overlapHours: Number(overlap),
          ...(date && { expiresAt: expiryFromDate(date, limits.value) }),
        }),
      );
    } catch (e) {
      setSubmitError(errorMessage(e));
      setSubmitting(false);
    }
  };

  return (
    <FormDialog
      open
      title={t('rotateToken.title')}
      error={submitError}
      submitLabel={t('rotateToken.submit')}
      busy={submitting}
      canSubmit={canSubmit}
      onSubmit={submit}
      onClose={onClose}
    >
      <DialogContentText>
        {t('rotateToken.intro', {
          name: <strong>{token.name}</strong>,
          hint: token.hint,
        })}
      </DialogContentText>
      <TextField
        select
        fullWidth
        margin="normal"
        variant="outlined"
        id="api-tokens-rotate-overlap"
        label={t('rotateToken.overlap')}
        value={overlap}
        onChange={e => setOverlap(e.target.value)}
        helperText={t('rotateToken.overlapHelp')}
      >
        {OVERLAP_HOURS.map(hours => (
          <MenuItem key={hours} value={hours}>
            {t(`rotateToken.overlaps.${hours}`)}
          </MenuItem>
        ))}
      </TextField>
      {limits.loading ? (
        <Progress />
      ) : (
        <TextField
          fullWidth
          margin="normal"
          variant="outlined"
          id="api-tokens-rotate-expiry"
          type="date"
          label={t('createToken.expiry')}
          value={date}
          onChange={e => setDate(e.target.value)}
          error={Boolean(dateError)}
          helperText={
            dateError ??
            (maxDate
              ? t('createToken.expiryHelp', { date: formatDate(maxDate) })
              : t('createToken.expiryHelpNoLimit'))
          }
          InputLabelProps={{ shrink: true }}
          inputProps={{
            min: DateTime.now().toISODate(),
            ...(maxDate && { max: maxDate }),
          }}
        />
      )}
      {limits.error && (
        <Typography color="error" role="alert">
          {t('createToken.limitsError', {
            message: errorMessage(limits.error),
          })}
        </Typography>
      )}
    </FormDialog>
  );
}

/**
 * The "Rotate this token" dialog: how long the old token keeps working, and
 * an optional expiry for the new one, no later than the backend allows.
 */
export function RotateTokenDialog(props: RotateTokenDialogProps) {
  const key = useOpeningKey(Boolean(props.token));
  return props.token ? (
    <RotateTokenForm key={key} {...props} token={props.token} />
  ) : null;
}
