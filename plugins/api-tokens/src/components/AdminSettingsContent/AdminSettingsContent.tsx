import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  RequirePermission,
  usePermission,
} from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import {
  API_TOKEN_SETTING_LABELS,
  ApiTokenSetting,
  apiTokensSettingsReadPermission,
  apiTokensSettingsUpdatePermission,
} from '@internal/plugin-api-tokens-common';
import { useMemo, useState } from 'react';
import { apiTokensApiRef } from '../../api';
import { useSettings } from '../../hooks';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ConfirmDialog } from '../ConfirmDialog';
import { DateTimeText } from '../DateTimeText';
import { NotAllowedPanel } from '../NotAllowedPanel';
import { SettingDialog } from '../SettingDialog';

function keyId(setting: ApiTokenSetting) {
  return `api-tokens-setting-${setting.key}`;
}

type Editing = { mode: 'add' } | { mode: 'edit'; setting: ApiTokenSetting };

function ConfigTab() {
  const api = useApi(apiTokensApiRef);
  const settings = useSettings();
  const canUpdate = usePermission({
    permission: apiTokensSettingsUpdatePermission,
  });
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<ApiTokenSetting>();
  // The table writes its bookkeeping into the rows it is given.
  const rows = useMemo(
    () => (settings.value ?? []).map(setting => ({ ...setting })),
    [settings.value],
  );

  const columns: TableColumn<ApiTokenSetting>[] = [
    { title: 'Config Type', field: 'type', render: () => 'App Config' },
    {
      title: 'Key',
      field: 'key',
      render: setting => (
        <>
          <Typography variant="body2" id={keyId(setting)}>
            {API_TOKEN_SETTING_LABELS[setting.key]}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {setting.key}
          </Typography>
        </>
      ),
    },
    { title: 'Value', field: 'value' },
    {
      title: 'Updated',
      field: 'updatedAt',
      render: setting => (
        <>
          <DateTimeText value={setting.updatedAt} />
          <Typography variant="caption" color="textSecondary">
            by {setting.updatedBy}
          </Typography>
        </>
      ),
    },
  ];
  if (canUpdate.allowed) {
    columns.push({
      title: 'Actions',
      sorting: false,
      render: setting => (
        <Box display="flex">
          <Button
            size="small"
            aria-describedby={keyId(setting)}
            onClick={() => setEditing({ mode: 'edit', setting })}
          >
            Edit
          </Button>
          <Button
            size="small"
            color="secondary"
            aria-describedby={keyId(setting)}
            onClick={() => setDeleting(setting)}
          >
            Delete
          </Button>
        </Box>
      ),
    });
  }

  return (
    <InfoCard
      title="Config"
      subheader="Settings changed here take effect at the next expiry check and override app-config"
      noPadding
      action={
        canUpdate.allowed && (
          <Button
            color="primary"
            variant="contained"
            startIcon={<AddIcon />}
            onClick={() => setEditing({ mode: 'add' })}
          >
            Add
          </Button>
        )
      }
    >
      {settings.error && (
        <ApiErrorPanel error={settings.error} title="Could not load settings" />
      )}
      <Table<ApiTokenSetting>
        columns={columns}
        data={rows}
        isLoading={settings.loading}
        options={{ toolbar: false, paging: false, search: false }}
        emptyContent={
          <Box padding={2}>
            <Typography variant="body2">
              No settings yet: the defaults from app-config apply.
            </Typography>
          </Box>
        }
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
        title="Delete this setting?"
        confirmLabel="Delete"
        onConfirm={async () => {
          if (!deleting) return;
          await api.deleteSetting(deleting.key);
          settings.retry();
        }}
        onClose={() => setDeleting(undefined)}
      >
        Delete{' '}
        <strong>{deleting && API_TOKEN_SETTING_LABELS[deleting.key]}</strong>?
        The default from app-config applies again.
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
  return (
    <RequirePermission
      permission={apiTokensSettingsReadPermission}
      errorPage={<NotAllowedPanel />}
    >
      <Tabs
        value={0}
        indicatorColor="primary"
        aria-label="System settings pages"
      >
        <Tab
          label="Config"
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
    </RequirePermission>
  );
}
