import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { CreatedApiToken } from '@internal/plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { FormEvent, useState } from 'react';
import { ApiTokenLimits, apiTokensApiRef } from '../../api';
import { useTokenLimits } from '../../hooks';
import { formatDate, toDateInputValue } from '../../lib/dates';
import { errorMessage } from '../../lib/errorMessage';

/** Props of {@link CreateTokenDialog}. */
export interface CreateTokenDialogProps {
  open: boolean;
  /** Whom the token is for, e.g. `user:default/jane`. */
  userRef: string;
  /** How to call that user in the dialog. */
  userName: string;
  onClose(): void;
  onCreated(created: CreatedApiToken): void;
}

/**
 * The instant a chosen expiry date stands for: the end of that day, local
 * time, except on the last allowed day, which ends at the backend's maximum.
 */
export function expiryFromDate(date: string, limits?: ApiTokenLimits): string {
  if (limits && date === toDateInputValue(limits.permanentTokenMaxExpiresAt)) {
    return limits.permanentTokenMaxExpiresAt;
  }
  return DateTime.fromISO(date).endOf('day').toUTC().toISO()!;
}

function validateDate(date: string, maxDate?: string): string | undefined {
  if (!date) return undefined;
  if (!DateTime.fromISO(date).isValid) return 'Enter a valid date';
  if (date < DateTime.now().toISODate()!) {
    return 'The expiry date cannot be in the past';
  }
  if (maxDate && date > maxDate) {
    return `Permanent tokens expire on ${formatDate(
      maxDate,
    )} at the latest; choose that day or earlier`;
  }
  return undefined;
}

function CreateTokenForm(props: Omit<CreateTokenDialogProps, 'open'>) {
  const { userRef, userName, onClose, onCreated } = props;
  const api = useApi(apiTokensApiRef);
  const limits = useTokenLimits();
  const [name, setName] = useState('');
  const [date, setDate] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string>();

  const maxDate = limits.value
    ? toDateInputValue(limits.value.permanentTokenMaxExpiresAt)
    : undefined;
  const dateError = validateDate(date, maxDate);
  const nameError =
    nameTouched && !name.trim() ? 'Give the token a name' : undefined;
  const canSubmit =
    Boolean(name.trim()) && !dateError && !submitting && !limits.loading;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNameTouched(true);
    if (!canSubmit) return;
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const created = await api.createUserToken(userRef, {
        name: name.trim(),
        ...(date && { expiresAt: expiryFromDate(date, limits.value) }),
      });
      onCreated(created);
    } catch (e) {
      setSubmitError(errorMessage(e));
      setSubmitting(false);
    }
  };

  const dateHelp = maxDate
    ? `Optional. Without a date the token expires on ${formatDate(
        maxDate,
      )}, the longest allowed.`
    : 'Optional. Without a date the token lasts as long as allowed.';

  return (
    <form onSubmit={submit} noValidate>
      <DialogTitle id="api-tokens-create-title">Create a new token</DialogTitle>
      <DialogContent>
        <DialogContentText>
          A permanent API token that acts as {userName}, with their permissions.
        </DialogContentText>
        <TextField
          required
          fullWidth
          margin="normal"
          variant="outlined"
          id="api-tokens-token-name"
          label="Token Name"
          value={name}
          onChange={e => setName(e.target.value)}
          onBlur={() => setNameTouched(true)}
          error={Boolean(nameError)}
          helperText={
            nameError ??
            'Say where it is used, e.g. "ci-deploy" or "backup job"'
          }
          inputProps={{ maxLength: 100 }}
        />
        {limits.loading ? (
          <Progress />
        ) : (
          <TextField
            fullWidth
            margin="normal"
            variant="outlined"
            id="api-tokens-token-expiry"
            type="date"
            label="Expiry date"
            value={date}
            onChange={e => setDate(e.target.value)}
            error={Boolean(dateError)}
            helperText={dateError ?? dateHelp}
            InputLabelProps={{ shrink: true }}
            inputProps={{
              min: DateTime.now().toISODate(),
              ...(maxDate && { max: maxDate }),
            }}
          />
        )}
        {limits.error && (
          <Typography color="error" role="alert">
            Could not read the token lifetime limits:{' '}
            {errorMessage(limits.error)}
          </Typography>
        )}
        {submitError && (
          <Typography color="error" role="alert">
            {submitError}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={submitting}>
          Cancel
        </Button>
        <Button
          type="submit"
          color="primary"
          variant="contained"
          disabled={!canSubmit}
          startIcon={submitting ? <CircularProgress size={16} /> : undefined}
        >
          Create
        </Button>
      </DialogActions>
    </form>
  );
}

/**
 * The "Create a new token" dialog: a name and an optional expiry date, no
 * later than the backend allows.
 */
export function CreateTokenDialog(props: CreateTokenDialogProps) {
  const { open, ...formProps } = props;
  return (
    <Dialog
      open={open}
      onClose={formProps.onClose}
      aria-labelledby="api-tokens-create-title"
      fullWidth
      maxWidth="sm"
    >
      <CreateTokenForm {...formProps} />
    </Dialog>
  );
}
