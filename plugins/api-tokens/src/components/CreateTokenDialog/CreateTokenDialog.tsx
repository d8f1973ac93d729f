import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import DialogContentText from '@material-ui/core/DialogContentText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  ApiTokenScope,
  CreatedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { ApiTokenLimits, apiTokensApiRef } from '../../api';
import { useScopePreview, useTokenLimits } from '../../hooks';
import { formatDate, toDateInputValue } from '../../lib/dates';
import { errorMessage } from '../../lib/errorMessage';
import {
  apiTokensTranslationRef,
  ApiTokensTranslation,
} from '../../translation';
import { FormDialog, useOpeningKey } from '../FormDialog';
import { ScopePreviewTable } from '../ScopePreviewTable';
import { TokenScopeFields } from '../TokenScopeFields';

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

/** Why an expiry date is not allowed, if it is not; also for rotation. */
export function validateDate(
  t: ApiTokensTranslation,
  date: string,
  maxDate?: string,
): string | undefined {
  if (!date) return undefined;
  if (!DateTime.fromISO(date).isValid) return t('createToken.invalidDate');
  if (date < DateTime.now().toISODate()!) {
    return t('createToken.pastDate');
  }
  if (maxDate && date > maxDate) {
    return t('createToken.lateDate', { date: formatDate(maxDate) });
  }
  return undefined;
}

function CreateTokenForm(props: CreateTokenDialogProps) {
  const { open, userRef, userName, onClose, onCreated } = props;
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const limits = useTokenLimits();
  const [name, setName] = useState('');
  const [date, setDate] = useState('');
  const [scope, setScope] = useState<ApiTokenScope | null>(null);
  const preview = useScopePreview(userRef, scope);
  const [nameTouched, setNameTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string>();

  const maxDate = limits.value
    ? toDateInputValue(limits.value.permanentTokenMaxExpiresAt)
    : undefined;
  const dateError = validateDate(t, date, maxDate);
  const nameError =
    nameTouched && !name.trim() ? t('createToken.nameRequired') : undefined;
  const canSubmit = Boolean(name.trim()) && !dateError && !limits.loading;

  const submit = async () => {
    setNameTouched(true);
    if (!canSubmit || submitting) return;
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const created = await api.createUserToken(userRef, {
        name: name.trim(),
        ...(date && { expiresAt: expiryFromDate(date, limits.value) }),
        ...(scope && { scope }),
      });
      onCreated(created);
    } catch (e) {
      setSubmitError(errorMessage(e));
      setSubmitting(false);
    }
  };

  const dateHelp = maxDate
    ? t('createToken.expiryHelp', { date: formatDate(maxDate) })
    : t('createToken.expiryHelpNoLimit');

  return (
    <FormDialog
      open={open}
      title={t('createToken.title')}
      error={submitError}
      submitLabel={t('createToken.submit')}
      busy={submitting}
      canSubmit={canSubmit}
      onSubmit={submit}
      onClose={onClose}
      maxWidth="md"
    >
      <DialogContentText>
        {t('createToken.intro', { userName })}
      </DialogContentText>
      <TextField
        required
        fullWidth
        margin="normal"
        variant="outlined"
        id="api-tokens-token-name"
        label={t('createToken.name')}
        value={name}
        onChange={e => setName(e.target.value)}
        onBlur={() => setNameTouched(true)}
        error={Boolean(nameError)}
        helperText={nameError ?? t('createToken.nameHelp')}
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
          label={t('createToken.expiry')}
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
          {t('createToken.limitsError', {
            message: errorMessage(limits.error),
          })}
        </Typography>
      )}
      <Typography variant="h6" component="h2">
        {t('scopeEditor.title')}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {t('scopeEditor.intro', { userName })}
      </Typography>
      <TokenScopeFields
        value={scope}
        onChange={setScope}
        options={preview.value}
        disabled={submitting}
      />
      <ScopePreviewTable preview={preview} userName={userName} />
    </FormDialog>
  );
}

/**
 * The "Create a new token" dialog: a name, an optional expiry date, no
 * later than the backend allows, and the scope, with a live preview of what
 * the token will be able to do.
 */
export function CreateTokenDialog(props: CreateTokenDialogProps) {
  return <CreateTokenForm key={useOpeningKey(props.open)} {...props} />;
}
