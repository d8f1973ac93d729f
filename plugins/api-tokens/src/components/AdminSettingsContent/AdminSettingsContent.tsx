import { InfoCard, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  ApiTokenSetting,
  apiTokensSettingsReadPermission,
  apiTokensSettingsUpdatePermission,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { Fragment, useState } from 'react';
import { apiTokensApiRef } from '../../api';
import { useSettings } from '../../hooks';
import { apiTokensTranslationRef } from '../../translation';
import { AddButton } from '../AddButton';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ConfirmDialog } from '../ConfirmDialog';
import { DateTimeText } from '../DateTimeText';
import { ListTable } from '../ListTable';
import { PermissionGate } from '../PermissionGate';
import { SettingDialog } from '../SettingDialog';

const useStyles = makeStyles({
  // The table's cells may break a word anywhere; these may not.
  words: { overflowWrap: 'normal', wordBreak: 'normal' },
  part: { whiteSpace: 'nowrap' },
});

/**
 * Text that may wrap between its parts only, never inside one: the words
 * of a camel-case key, the addresses of a semicolon-separated list (which
 * would otherwise break at a hyphen).
 */
function LineBreaks(props: { parts: string[] }) {
  const classes = useStyles();
  return (
    <>
      {props.parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          <span className={classes.part}>{part}</span>
        </Fragment>
      ))}
    </>
  );
}

function keyId(setting: ApiTokenSetting) {
  return `api-tokens-setting-${setting.key}`;
}

type Editing = { mode: 'add' } | { mode: 'edit'; setting: ApiTokenSetting };

function ConfigTab() {
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const settings = useSettings();
  const canUpdate = usePermission({
    permission: apiTokensSettingsUpdatePermission,
  });
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<ApiTokenSetting>();
  const classes = useStyles();

  const columns: TableColumn<ApiTokenSetting>[] = [
    {
      title: t('adminSettings.columns.type'),
      field: 'type',
      render: () => t('setting.appConfig'),
    },
    {
      title: t('adminSettings.columns.key'),
      field: 'key',
      render: setting => (
        <>
          <Typography
            variant="body2"
            id={keyId(setting)}
            className={classes.words}
          >
            {t(`setting.labels.${setting.key}`)}
          </Typography>
          <Typography
            variant="caption"
            color="textSecondary"
            className={classes.words}
          >
            <LineBreaks parts={setting.key.split(/(?=[A-Z])/)} />
          </Typography>
        </>
      ),
    },
    {
      title: t('adminSettings.columns.value'),
      field: 'value',
      render: setting => (
        <span className={classes.words}>
          <LineBreaks parts={setting.value.split(/(?<=;)/)} />
        </span>
      ),
    },
    {
      title: t('adminSettings.columns.updated'),
      field: 'updatedAt',
      render: setting => (
        <>
          <DateTimeText value={setting.updatedAt} />
          <Typography variant="caption" color="textSecondary">
            {t('adminSettings.updatedBy', { user: setting.updatedBy })}
          </Typography>
        </>
      ),
    },
  ];
  if (canUpdate.allowed) {
    columns.push({
      title: t('adminSettings.columns.actions'),
      sorting: false,
      render: setting => (
        <Box display="flex">
          <Button
            size="small"
            aria-describedby={keyId(setting)}
            onClick={() => setEditing({ mode: 'edit', setting })}
          >
            {t('adminSettings.edit')}
          </Button>
          <Button
            size="small"
            color="secondary"
            aria-describedby={keyId(setting)}
            onClick={() => setDeleting(setting)}
          >
            {t('adminSettings.delete')}
          </Button>
        </Box>
      ),
    });
  }

  return (
    <InfoCard
      title={t('adminSettings.title')}
      subheader={t('adminSettings.subheader')}
      noPadding
      action={
        canUpdate.allowed && (
          <AddButton onClick={() => setEditing({ mode: 'add' })} />
        )
      }
    >
      {settings.error && (
        <ApiErrorPanel
          error={settings.error}
          title={t('adminSettings.loadError')}
        />
      )}
      <ListTable
        columns={columns}
        items={settings.value ?? []}
        rowId={setting => setting.key}
        loading={settings.loading}
        emptyText={t('adminSettings.empty')}
      />
      <SettingDialog
        open={Boolean(editing)}
        setting={editing?.mode === 'edit' ? editing.setting : undefined}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          settings.retry();
        }}
      />
      <ConfirmDialog
        open={Boolean(deleting)}
        title={t('adminSettings.deleteTitle')}
        confirmLabel={t('adminSettings.delete')}
        onConfirm={async () => {
          if (!deleting) return;
          await api.deleteSetting(deleting.key);
          settings.retry();
        }}
        onClose={() => setDeleting(undefined)}
      >
        {t('adminSettings.deleteText', {
          setting: (
            <strong>{deleting && t(`setting.labels.${deleting.key}`)}</strong>
          ),
        })}
      </ConfirmDialog>
    </InfoCard>
  );
}

/**
 * Administrator → System Settings: the "Config" tab with the runtime
 * settings of expiry faults and emails. Refuses people without the
 * permission to read settings. Renders no header, so it serves both
 * frontend systems.
 *
 * @public
 */
export function AdminSettingsContent() {
  const { t } = useTranslationRef(apiTokensTranslationRef);
  return (
    <PermissionGate permission={apiTokensSettingsReadPermission}>
      <Tabs
        value={0}
        indicatorColor="primary"
        aria-label={t('adminSettings.tabs')}
      >
        <Tab
          label={t('adminSettings.configTab')}
          id="api-tokens-settings-tab-config"
          aria-controls="api-tokens-settings-panel-config"
        />
      </Tabs>
      <Box
        role="tabpanel"
        id="api-tokens-settings-panel-config"
        aria-labelledby="api-tokens-settings-tab-config"
        paddingTop={2}
      >
        <ConfigTab />
      </Box>
    </PermissionGate>
  );
}
