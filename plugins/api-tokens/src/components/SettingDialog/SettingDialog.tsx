import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  API_TOKEN_SETTING_KEYS,
  API_TOKEN_SETTING_LABELS,
  ApiTokenSetting,
  ApiTokenSettingKey,
  validateApiTokenSetting,
} from '@internal/plugin-api-tokens-common';
import { FormEvent, useState } from 'react';
import { apiTokensApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';

/** Props of {@link SettingDialog}. */
export interface SettingDialogProps {
  open: boolean;
  /** The setting to edit; without one the dialog adds a setting. */
  setting?: ApiTokenSetting;
  onClose(): void;
  onSaved(setting: ApiTokenSetting): void;
}

const VALUE_HELP: Record<ApiTokenSettingKey, string> = {
  EnableUserTokenNotification:
    'Days before expiry when a fault is raised, 1 to 365; several separated by semicolons, e.g. 30;7;1',
  UserTokenExpirationNotificationEmails:
    'Email addresses to notify, separated by semicolons, e.g. ops@example.com;security@example.com',
};

function SettingForm(props: Omit<SettingDialogProps, 'open'>) {
  const { setting, onClose, onSaved } = props;
  const api = useApi(apiTokensApiRef);
  const [key, setKey] = useState<ApiTokenSettingKey>(
    setting?.key ?? API_TOKEN_SETTING_KEYS[0],
  );
  const [value, setValue] = useState(setting?.value ?? '');
  const [valueError, setValueError] = useState<string>();
  const [submitError, setSubmitError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitError(undefined);
    const trimmed = value.trim();
    if (!trimmed) {
      setValueError('Enter a value');
      return;
    }
    try {
      validateApiTokenSetting(key, trimmed);
    } catch (e) {
      setValueError(errorMessage(e));
      return;
    }
    setValueError(undefined);
    setSubmitting(true);
    try {
      onSaved(await api.updateSetting(key, trimmed));
    } catch (e) {
      // The backend names the field on bad input; that belongs on the field.
      if (ResponseError.is(e) && e.statusCode === 400) {
        setValueError(errorMessage(e));
      } else {
        setSubmitError(errorMessage(e));
      }
      setSubmitting(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <DialogTitle id="api-tokens-setting-title">
        {setting ? 'Edit Config' : 'Add Config'}
      </DialogTitle>
      <DialogContent>
        <TextField
          select
          fullWidth
          margin="normal"
          variant="outlined"
          id="api-tokens-setting-type"
          label="Config Type"
          value="app-config"
          SelectProps={{ native: true }}
          disabled={Boolean(setting)}
        >
          <option value="app-config">App Config</option>
        </TextField>
        <TextField
          select
          fullWidth
          margin="normal"
          variant="outlined"
          id="api-tokens-setting-key"
          label="Key"
          value={key}
          onChange={e => {
            setKey(e.target.value as ApiTokenSettingKey);
            setValueError(undefined);
          }}
          SelectProps={{ native: true }}
          disabled={Boolean(setting)}
        >
          {API_TOKEN_SETTING_KEYS.map(settingKey => (
            <option key={settingKey} value={settingKey}>
              {API_TOKEN_SETTING_LABELS[settingKey]}
            </option>
          ))}
        </TextField>
        <TextField
          required
          fullWidth
          margin="normal"
          variant="outlined"
          id="api-tokens-setting-value"
          label="Value"
          value={value}
          onChange={e => {
            setValue(e.target.value);
            setValueError(undefined);
          }}
          error={Boolean(valueError)}
          helperText={valueError ?? VALUE_HELP[key]}
        />
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
          disabled={submitting}
          startIcon={submitting ? <CircularProgress size={16} /> : undefined}
        >
          Submit
        </Button>
      </DialogActions>
    </form>
  );
}

/**
 * The "Add Config" / "Edit Config" dialog: Config Type (App Config), Key and
 * Value, with the backend's validation message on the Value field.
 */
export function SettingDialog(props: SettingDialogProps) {
  const { open, ...formProps } = props;
  return (
    <Dialog
      open={open}
      onClose={formProps.onClose}
      aria-labelledby="api-tokens-setting-title"
      fullWidth
      maxWidth="sm"
    >
      <SettingForm key={formProps.setting?.key ?? 'new'} {...formProps} />
    </Dialog>
  );
}
