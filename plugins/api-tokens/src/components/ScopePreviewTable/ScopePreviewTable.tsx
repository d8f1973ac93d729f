import { Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import BlockIcon from '@material-ui/icons/Block';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import { Fragment, KeyboardEvent, useId, useMemo, useState } from 'react';
import { ApiTokenScopePreview } from '@nholuongut/backstage-plugin-api-tokens-common';
import { AsyncData } from '../../hooks';
import { apiTokensTranslationRef } from '../../translation';
import { ApiErrorPanel } from '../ApiErrorPanel';

const useStyles = makeStyles(theme => ({
  scroller: {
    maxHeight: 320,
    overflowY: 'auto',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  group: {
    backgroundColor: theme.palette.background.default,
  },
  decision: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  ALLOW: { color: theme.palette.success.main },
  DENY: { color: theme.palette.error.main },
  CONDITIONAL: { color: theme.palette.warning.main },
}));

type PreviewPermission = ApiTokenScopePreview['permissions'][number];
type Decision = PreviewPermission['result'];

const decisionIcons: Record<Decision, typeof BlockIcon> = {
  ALLOW: CheckCircleOutlineIcon,
  DENY: BlockIcon,
  CONDITIONAL: HelpOutlineIcon,
};

/** Props of {@link ScopePreviewTable}. */
export interface ScopePreviewTableProps {
  /** The preview as `useScopePreview` returns it. */
  preview: AsyncData<ApiTokenScopePreview>;
  /** How to call the token's owner. */
  userName: string;
}

interface PluginGroup {
  pluginId: string;
  /** The permissions that match the filter. */
  shown: PreviewPermission[];
  counts: Record<Decision, number>;
}

function groupByPlugin(
  permissions: PreviewPermission[],
  filter: string,
): PluginGroup[] {
  const needle = filter.trim().toLocaleLowerCase();
  const groups = new Map<string, PluginGroup>();
  for (const permission of permissions) {
    let group = groups.get(permission.pluginId);
    if (!group) {
      group = {
        pluginId: permission.pluginId,
        shown: [],
        counts: { ALLOW: 0, DENY: 0, CONDITIONAL: 0 },
      };
      groups.set(permission.pluginId, group);
    }
    group.counts[permission.result] += 1;
    if (
      permission.name.toLocaleLowerCase().includes(needle) ||
      permission.pluginId.toLocaleLowerCase().includes(needle)
    ) {
      group.shown.push(permission);
    }
  }
  return [...groups.values()]
    .filter(group => group.shown.length > 0)
    .sort((a, b) => a.pluginId.localeCompare(b.pluginId))
    .map(group => ({
      ...group,
      shown: [...group.shown].sort((a, b) => a.name.localeCompare(b.name)),
    }));
}

// Enter in the filter would submit the dialog's form.
function keepEnterInField(event: KeyboardEvent) {
  if (event.key === 'Enter') event.preventDefault();
}

/**
 * What a token with the chosen scope would be allowed: one row per
 * permission the installed plugins publish, grouped by plugin with counts,
 * filterable, each "can", "cannot" or "depends on the resource". The last
 * answer stays while the next one loads.
 */
export function ScopePreviewTable(props: ScopePreviewTableProps) {
  const { preview, userName } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const classes = useStyles();
  const titleId = useId();
  const filterId = useId();
  const [filter, setFilter] = useState('');
  const permissions = preview.value?.permissions;
  const groups = useMemo(
    () => groupByPlugin(permissions ?? [], filter),
    [permissions, filter],
  );

  let body;
  if (preview.error) {
    body = (
      <>
        <ApiErrorPanel
          error={preview.error}
          title={t('scopePreview.loadError')}
        />
        <Box marginTop={1}>
          <Button variant="outlined" onClick={preview.retry}>
            {t('scopePreview.tryAgain')}
          </Button>
        </Box>
      </>
    );
  } else if (!permissions) {
    body = null;
  } else if (permissions.length === 0) {
    body = <Typography variant="body2">{t('scopePreview.empty')}</Typography>;
  } else if (groups.length === 0) {
    body = (
      <Typography variant="body2">
        {t('scopePreview.noMatch', { filter: filter.trim() })}
      </Typography>
    );
  } else {
    body = (
      <Box className={classes.scroller}>
        <Table size="small" stickyHeader aria-labelledby={titleId}>
          <TableHead>
            <TableRow>
              <TableCell>{t('scopePreview.columns.permission')}</TableCell>
              <TableCell>{t('scopePreview.columns.result')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {groups.map(group => (
              <Fragment key={group.pluginId}>
                <TableRow className={classes.group}>
                  <TableCell
                    component="th"
                    scope="rowgroup"
                    role="rowheader"
                    colSpan={2}
                  >
                    <Typography variant="subtitle2" component="span">
                      {group.pluginId}
                    </Typography>
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="span"
                    >
                      {' · '}
                      {t('scopePreview.counts', {
                        allowed: String(group.counts.ALLOW),
                        denied: String(group.counts.DENY),
                        conditional: String(group.counts.CONDITIONAL),
                      })}
                    </Typography>
                  </TableCell>
                </TableRow>
                {group.shown.map(permission => {
                  const Icon = decisionIcons[permission.result];
                  return (
                    <TableRow key={permission.name}>
                      <TableCell>
                        <Typography variant="body2">
                          {permission.name}
                        </Typography>
                      </TableCell>
                      <TableCell>
                        <span className={classes.decision}>
                          <Icon
                            fontSize="small"
                            aria-hidden
                            className={classes[permission.result]}
                          />
                          {t(`scopePreview.results.${permission.result}`)}
                        </span>
                      </TableCell>
                    </TableRow>
                  );
                })}
              </Fragment>
            ))}
          </TableBody>
        </Table>
      </Box>
    );
  }

  return (
    <Box marginTop={2}>
      <Typography variant="subtitle1" component="h3" id={titleId}>
        {t('scopePreview.title')}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        {t('scopePreview.caption', { userName })}
      </Typography>
      <TextField
        fullWidth
        margin="dense"
        variant="outlined"
        type="search"
        id={filterId}
        label={t('scopePreview.filter')}
        value={filter}
        onChange={e => setFilter(e.target.value)}
        onKeyDown={keepEnterInField}
      />
      {preview.loading && <Progress />}
      {body}
    </Box>
  );
}
