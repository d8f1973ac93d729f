import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import TextField from '@material-ui/core/TextField';
import {
  API_TOKEN_SETTING_KEYS,
  ApiTokenSetting,
  ApiTokenSettingKey,
  validateApiTokenSetting,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { useState } from 'react';
import { apiTokensApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { apiTokensTranslationRef } from '../../translation';
import { FormDialog, useOpeningKey } from '../FormDialog';

/** Props of {@link SettingDialog}. */
export interface SettingDialogProps {
  open: boolean;
  /** The setting to edit; without one the dialog adds a setting. */
  setting?: ApiTokenSetting;
  onClose(): void;
  onSaved(setting: ApiTokenSetting): void;
}

function SettingForm(props: SettingDialogProps) {
  const { open, setting, onClose, onSaved } = props;
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const [key, setKey] = useState<ApiTokenSettingKey>(
    setting?.key ?? API_TOKEN_SETTING_KEYS[0],
  );
  const [value, setValue] = useState(setting?.value ?? '');
  const [valueError, setValueError] = useState<string>();
  const [submitError, setSubmitError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  const submit = async () => {
    setSubmitError(undefined);
    const trimmed = value.trim();
    if (!trimmed) {
      setValueError(t('setting.valueRequired'));
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
    <FormDialog
      open={open}
      title={setting ? t('setting.editTitle') : t('setting.addTitle')}
      error={submitError}
      submitLabel={t('setting.submit')}
      busy={submitting}
      onSubmit={submit}
      onClose={onClose}
    >
      <TextField
        select
        fullWidth
        margin="normal"
        variant="outlined"
        id="api-tokens-setting-type"
        label={t('setting.type')}
        value="app-config"
        SelectProps={{ native: true }}
        disabled={Boolean(setting)}
      >
        <option value="app-config">{t('setting.appConfig')}</option>
      </TextField>
      <TextField
        select
        fullWidth
        margin="normal"
        variant="outlined"
        id="api-tokens-setting-key"
        label={t('setting.key')}
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
            {t(`setting.labels.${settingKey}`)}
          </option>
        ))}
      </TextField>
      <TextField
        required
        fullWidth
        margin="normal"
        variant="outlined"
        id="api-tokens-setting-value"
        label={t('setting.value')}
        value={value}
        onChange={e => {
          setValue(e.target.value);
          setValueError(undefined);
        }}
        error={Boolean(valueError)}
        helperText={valueError ?? t(`setting.help.${key}`)}
      />
    </FormDialog>
  );
}

/**
 * The "Add Config" / "Edit Config" dialog: Config Type (App Config), Key and
 * Value, with the backend's validation message on the Value field.
 */
export function SettingDialog(props: SettingDialogProps) {
  return <SettingForm key={useOpeningKey(props.open)} {...props} />;
}
