import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import { useId, useState } from 'react';
import {
  ApiTokenScope,
  ApiTokenScopePreview,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  normalizeScope,
  presetOf,
  ScopePresetId,
  scopePresets,
} from '../../lib/scope';
import { apiTokensTranslationRef } from '../../translation';

type ScopeChoice = ScopePresetId | 'custom';

const presetLabels = {
  everything: 'scopeEditor.presetEverything',
  readOnly: 'scopeEditor.presetReadOnly',
  catalogRead: 'scopeEditor.presetCatalogRead',
  custom: 'scopeEditor.presetCustom',
} as const;

/** Props of {@link TokenScopeFields}. */
export interface TokenScopeFieldsProps {
  /** The chosen scope; `null` for the owner's full power. */
  value: ApiTokenScope | null;
  /** Called with the new scope, normalized (`null` when nothing limits). */
  onChange(scope: ApiTokenScope | null): void;
  /** Where the plugin and permission choices come from. */
  options?: ApiTokenScopePreview;
  disabled?: boolean;
}

function withSelected(options: string[], selected: string[] = []): string[] {
  return [...new Set([...options, ...selected])].sort();
}

/**
 * The scope of a new token: a preset in one click, or plugins, permissions
 * and "read only" chosen one by one. A preset fills the fields, so they
 * always show what the scope is.
 */
export function TokenScopeFields(props: TokenScopeFieldsProps) {
  const { value, onChange, options, disabled } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const presetsLabelId = useId();
  const [customChosen, setCustomChosen] = useState(false);
  const choice: ScopeChoice = customChosen
    ? 'custom'
    : presetOf(value) ?? 'custom';

  const plugins = value?.plugins ?? [];
  const permissions = value?.permissions ?? [];
  const pluginOptions = withSelected(options?.plugins ?? [], plugins);
  const permissionOptions = withSelected(
    options?.permissions.map(permission => permission.name) ?? [],
    permissions,
  );

  const choose = (next: ScopeChoice) => {
    setCustomChosen(next === 'custom');
    if (next !== 'custom') onChange(scopePresets[next]);
  };
  const edit = (changes: ApiTokenScope) => {
    setCustomChosen(true);
    onChange(normalizeScope({ ...value, ...changes }));
  };

  return (
    <Box>
      <FormControl component="fieldset" margin="normal" disabled={disabled}>
        <FormLabel component="legend" id={presetsLabelId}>
          {t('scopeEditor.presets')}
        </FormLabel>
        <RadioGroup
          row
          aria-labelledby={presetsLabelId}
          value={choice}
          onChange={e => choose(e.target.value as ScopeChoice)}
        >
          {(Object.keys(presetLabels) as ScopeChoice[]).map(id => (
            <FormControlLabel
              key={id}
              value={id}
              control={<Radio color="primary" />}
              label={t(presetLabels[id])}
            />
          ))}
        </RadioGroup>
      </FormControl>
      <TextField
        select
        fullWidth
        margin="dense"
        variant="outlined"
        id="api-tokens-scope-plugins"
        label={t('scopeEditor.plugins')}
        value={plugins}
        disabled={disabled}
        helperText={t('scopeEditor.pluginsHelp')}
        InputLabelProps={{ shrink: true }}
        SelectProps={{
          multiple: true,
          displayEmpty: true,
          renderValue: selected =>
            (selected as string[]).join(', ') || t('scopeEditor.allPlugins'),
          onChange: e => edit({ plugins: e.target.value as string[] }),
        }}
      >
        {pluginOptions.map(pluginId => (
          <MenuItem key={pluginId} value={pluginId}>
            <Checkbox
              color="primary"
              size="small"
              tabIndex={-1}
              disableRipple
              checked={plugins.includes(pluginId)}
            />
            <ListItemText primary={pluginId} />
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        fullWidth
        margin="dense"
        variant="outlined"
        id="api-tokens-scope-permissions"
        label={t('scopeEditor.permissions')}
        value={permissions}
        disabled={disabled}
        helperText={t('scopeEditor.permissionsHelp')}
        InputLabelProps={{ shrink: true }}
        SelectProps={{
          multiple: true,
          displayEmpty: true,
          renderValue: selected =>
            (selected as string[]).join(', ') ||
            t('scopeEditor.allPermissions'),
          onChange: e => edit({ permissions: e.target.value as string[] }),
          MenuProps: { PaperProps: { style: { maxHeight: 360 } } },
        }}
      >
        {permissionOptions.map(name => (
          <MenuItem key={name} value={name}>
            <Checkbox
              color="primary"
              size="small"
              tabIndex={-1}
              disableRipple
              checked={permissions.includes(name)}
            />
            <ListItemText primary={name} />
          </MenuItem>
        ))}
      </TextField>
      <FormControl margin="dense" disabled={disabled}>
        <FormControlLabel
          control={
            <Checkbox
              color="primary"
              checked={Boolean(value?.readOnly)}
              onChange={e => edit({ readOnly: e.target.checked })}
            />
          }
          label={t('scopeEditor.readOnly')}
        />
        <FormHelperText>{t('scopeEditor.readOnlyHelp')}</FormHelperText>
      </FormControl>
    </Box>
  );
}
