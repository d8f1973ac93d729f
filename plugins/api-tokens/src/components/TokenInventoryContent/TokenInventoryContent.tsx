import {
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActionArea from '@material-ui/core/CardActionArea';
import CardContent from '@material-ui/core/CardContent';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import CircularProgress from '@material-ui/core/CircularProgress';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  ApiToken,
  ApiTokenKind,
  ApiTokenState,
  apiTokensReadPermission,
  apiTokensRevokePermission,
  DAY_MS,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { useMemo, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { apiTokensApiRef, ListAllTokensRequest } from '../../api';
import {
  useCatalogUsers,
  useTokenInventory,
  useTokenInventorySummary,
  useStableColumns,
} from '../../hooks';
import { errorMessage } from '../../lib/errorMessage';
import { tokensToCsv } from '../../lib/tokensCsv';
import { apiTokensTranslationRef } from '../../translation';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ConfirmDialog } from '../ConfirmDialog';
import { DateTimeText } from '../DateTimeText';
import { PermissionGate } from '../PermissionGate';

const PAGE_SIZE = 25;
/** Pages of this size make up a CSV export. */
const EXPORT_PAGE_SIZE = 1000;
const STATES: ApiTokenState[] = ['active', 'expired', 'revoked'];
type SortKey = NonNullable<ListAllTokensRequest['sort']>;
const SORT_KEYS: SortKey[] = ['expiresAt', 'createdAt', 'lastUsedAt', 'name'];

/** What the filter controls hold. */
interface Filters {
  states: ApiTokenState[];
  kind?: ApiTokenKind;
  /** What was typed in the owner box: a user ref, or a name. */
  owner: string;
  q: string;
  /** yyyy-mm-dd, local dates from the date inputs. */
  expiresAfter: string;
  expiresBefore: string;
  unusedDays: string;
  neverUsed: boolean;
  /** An ISO time, set by the "revoked recently" card. */
  revokedSince?: string;
}

const DEFAULT_FILTERS: Filters = {
  states: ['active'],
  owner: '',
  q: '',
  expiresAfter: '',
  expiresBefore: '',
  unusedDays: '',
  neverUsed: false,
};

/** `jane` means `user:default/jane`; a full ref is kept as it is. */
function toOwnerRef(owner: string): string | undefined {
  const trimmed = owner.trim();
  if (!trimmed) return undefined;
  return trimmed.includes(':') || trimmed.includes('/')
    ? trimmed
    : `user:default/${trimmed}`;
}

function startOfLocalDay(date: string): string | undefined {
  const parsed = DateTime.fromISO(date);
  return parsed.isValid ? parsed.startOf('day').toUTC().toISO()! : undefined;
}

/** The request the filters stand for. */
function toRequest(filters: Filters): ListAllTokensRequest {
  const days = Number(filters.unusedDays);
  return {
    states: filters.states,
    kind: filters.kind,
    ownerRef: toOwnerRef(filters.owner),
    q: filters.q.trim() || undefined,
    expiresAfter: startOfLocalDay(filters.expiresAfter),
    expiresBefore: startOfLocalDay(filters.expiresBefore),
    unusedSince:
      filters.unusedDays && Number.isInteger(days) && days > 0
        ? new Date(Date.now() - days * DAY_MS).toISOString()
        : undefined,
    neverUsed: filters.neverUsed || undefined,
    revokedSince: filters.revokedSince,
  };
}

function dateInput(offsetDays: number): string {
  return DateTime.now().plus({ days: offsetDays }).toISODate()!;
}

/** The owners of some tokens, for the bulk revoke confirmation. */
function ownersOf(tokens: ApiToken[]): string[] {
  return [...new Set(tokens.map(token => token.ownerRef))];
}

/** Downloads a text as a file, through a temporary link. */
function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

function SummaryCards(props: { onPick(filters: Filters): void }) {
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const summary = useTokenInventorySummary();
  if (summary.error) {
    return (
      <ApiErrorPanel
        error={summary.error}
        title={t('inventory.summaryLoadError')}
      />
    );
  }
  const days = summary.value?.windowDays ?? 30;
  const cards: Array<{
    id: string;
    label: string;
    count?: number;
    filters: () => Filters;
  }> = [
    {
      id: 'active',
      label: t('inventory.cards.active'),
      count: summary.value?.active,
      filters: () => DEFAULT_FILTERS,
    },
    {
      id: 'expiring-soon',
      label: t('inventory.cards.expiringSoon', { days: String(days) }),
      count: summary.value?.expiringSoon,
      filters: () => ({
        ...DEFAULT_FILTERS,
        expiresBefore: dateInput(days + 1),
      }),
    },
    {
      id: 'never-used',
      label: t('inventory.cards.neverUsed'),
      count: summary.value?.neverUsed,
      filters: () => ({ ...DEFAULT_FILTERS, neverUsed: true }),
    },
    {
      id: 'recently-revoked',
      label: t('inventory.cards.recentlyRevoked', { days: String(days) }),
      count: summary.value?.recentlyRevoked,
      filters: () => ({
        ...DEFAULT_FILTERS,
        states: ['revoked'],
        revokedSince: new Date(Date.now() - days * DAY_MS).toISOString(),
      }),
    },
  ];
  return (
    <Grid
      container
      spacing={2}
      role="group"
      aria-label={t('inventory.summaryLabel')}
    >
      {cards.map(card => (
        <Grid item xs={12} sm={6} md={3} key={card.id}>
          <Card variant="outlined">
            <CardActionArea
              onClick={() => props.onPick(card.filters())}
              aria-label={`${card.label}: ${card.count ?? '…'}`}
              data-testid={`inventory-card-${card.id}`}
            >
              <CardContent>
                <Typography variant="h4" component="div">
                  {summary.loading ? (
                    <CircularProgress size={28} />
                  ) : (
                    card.count?.toLocaleString()
                  )}
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  {card.label}
                </Typography>
              </CardContent>
            </CardActionArea>
          </Card>
        </Grid>
      ))}
    </Grid>
  );
}

function FilterControls(props: {
  filters: Filters;
  onChange(filters: Filters): void;
}) {
  const { filters, onChange } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const users = useCatalogUsers(
    filters.owner.includes(':') ? '' : filters.owner,
  );
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const toggleState = (state: ApiTokenState) =>
    set({
      states: filters.states.includes(state)
        ? filters.states.filter(s => s !== state)
        : STATES.filter(s => s === state || filters.states.includes(s)),
    });

  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={16}>
      <Box
        display="flex"
        alignItems="center"
        gridGap={8}
        role="group"
        aria-label={t('inventory.filters.state')}
      >
        {STATES.map(state => (
          <Chip
            key={state}
            label={t(`tokenTable.states.${state}`)}
            clickable
            color={filters.states.includes(state) ? 'primary' : 'default'}
            variant={filters.states.includes(state) ? 'default' : 'outlined'}
            onClick={() => toggleState(state)}
            role="checkbox"
            aria-checked={filters.states.includes(state)}
          />
        ))}
        {filters.neverUsed && (
          <Chip
            label={t('inventory.filters.neverUsed')}
            onDelete={() => set({ neverUsed: false })}
          />
        )}
        {filters.revokedSince && (
          <Chip
            label={t('inventory.filters.revokedSince', {
              date: DateTime.fromISO(filters.revokedSince).toLocaleString(
                DateTime.DATE_MED,
              ),
            })}
            onDelete={() => set({ revokedSince: undefined })}
          />
        )}
      </Box>
      <TextField
        select
        id="api-tokens-inventory-kind"
        label={t('inventory.filters.kind')}
        value={filters.kind ?? ''}
        onChange={e =>
          set({ kind: (e.target.value || undefined) as ApiTokenKind })
        }
        style={{ minWidth: 140 }}
        SelectProps={{ displayEmpty: true }}
        InputLabelProps={{ shrink: true }}
      >
        <MenuItem value="">{t('inventory.filters.anyKind')}</MenuItem>
        <MenuItem value="permanent">{t('tokenTable.kinds.permanent')}</MenuItem>
        <MenuItem value="temporary">{t('tokenTable.kinds.temporary')}</MenuItem>
      </TextField>
      <TextField
        id="api-tokens-inventory-owner"
        label={t('inventory.filters.owner')}
        value={filters.owner}
        onChange={e => set({ owner: e.target.value })}
        helperText={t('inventory.filters.ownerHelp')}
        inputProps={{ list: 'api-tokens-inventory-owners' }}
      />
      <datalist id="api-tokens-inventory-owners">
        {users.value.map(user => (
          <option key={user.metadata.name} value={stringifyEntityRef(user)}>
            {user.spec?.profile?.displayName ?? user.metadata.name}
          </option>
        ))}
      </datalist>
      <TextField
        type="search"
        id="api-tokens-inventory-name"
        label={t('inventory.filters.name')}
        value={filters.q}
        onChange={e => set({ q: e.target.value })}
      />
      <TextField
        type="date"
        id="api-tokens-inventory-expires-after"
        label={t('inventory.filters.expiresAfter')}
        value={filters.expiresAfter}
        onChange={e => set({ expiresAfter: e.target.value })}
        InputLabelProps={{ shrink: true }}
      />
      <TextField
        type="date"
        id="api-tokens-inventory-expires-before"
        label={t('inventory.filters.expiresBefore')}
        value={filters.expiresBefore}
        onChange={e => set({ expiresBefore: e.target.value })}
        InputLabelProps={{ shrink: true }}
      />
      <TextField
        type="number"
        id="api-tokens-inventory-unused-days"
        label={t('inventory.filters.unusedDays')}
        value={filters.unusedDays}
        onChange={e => set({ unusedDays: e.target.value })}
        inputProps={{ min: 1, step: 1 }}
        style={{ width: 170 }}
      />
      <Button onClick={() => onChange({ ...DEFAULT_FILTERS, states: [] })}>
        {t('inventory.filters.clear')}
      </Button>
    </Box>
  );
}

function InventoryView() {
  const api = useApi(apiTokensApiRef);
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const canRevoke = usePermission({ permission: apiTokensRevokePermission });
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  // Typing waits for a pause before it asks the backend.
  const [request, setRequest] = useState(() => toRequest(DEFAULT_FILTERS));
  useDebounce(() => setRequest(toRequest(filters)), 300, [filters]);
  const [sort, setSort] = useState<SortKey>('expiresAt');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const listRequest = useMemo(
    () => ({ ...request, sort, order, limit: PAGE_SIZE }),
    [request, sort, order],
  );
  const page = useTokenInventory(listRequest);
  const [selected, setSelected] = useState<Map<string, ApiToken>>(new Map());
  const [confirming, setConfirming] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<Error>();
  const [summaryKey, setSummaryKey] = useState(0);

  const pick = (next: Filters) => {
    setFilters(next);
    setRequest(toRequest(next));
    setSelected(new Map());
  };
  const toggle = (token: ApiToken) =>
    setSelected(previous => {
      const next = new Map(previous);
      if (next.has(token.id)) next.delete(token.id);
      else next.set(token.id, token);
      return next;
    });
  const selectable = page.value.filter(token => token.state === 'active');
  const allSelected =
    selectable.length > 0 && selectable.every(token => selected.has(token.id));
  const togglePage = () =>
    setSelected(previous => {
      const next = new Map(previous);
      for (const token of selectable) {
        if (allSelected) next.delete(token.id);
        else next.set(token.id, token);
      }
      return next;
    });

  const revokeSelected = async () => {
    const tokens = [...selected.values()];
    let revoked = 0;
    try {
      // One request, and so one audited event, per token.
      for (const token of tokens) {
        await api.revokeToken(token.id);
        revoked++;
      }
    } catch (e) {
      throw new Error(
        t('inventory.bulkRevokeFailed', {
          revoked: String(revoked),
          count: tokens.length,
          message: errorMessage(e),
        }),
      );
    } finally {
      setSelected(previous => {
        const next = new Map(previous);
        for (const token of tokens.slice(0, revoked)) next.delete(token.id);
        return next;
      });
      page.retry();
      setSummaryKey(k => k + 1);
    }
  };

  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      const tokens: ApiToken[] = [];
      let cursor: string | undefined;
      do {
        const next = await api.listAllTokens({
          ...request,
          sort,
          order,
          limit: EXPORT_PAGE_SIZE,
          cursor,
        });
        tokens.push(...next.items);
        cursor = next.nextCursor;
      } while (cursor);
      download(
        `api-tokens-${DateTime.now().toFormat('yyyy-MM-dd')}.csv`,
        tokensToCsv(tokens),
      );
    } catch (e) {
      setExportError(e as Error);
    } finally {
      setExporting(false);
    }
  };

  const columns: TableColumn<ApiToken>[] = [
    {
      title: t('tokenTable.columns.name'),
      field: 'name',
      render: token => (
        <>
          <Typography variant="body2" id={`inventory-name-${token.id}`}>
            {token.name}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {t('tokenTable.hint', { hint: token.hint })}
          </Typography>
        </>
      ),
    },
    {
      title: t('inventory.columns.owner'),
      field: 'ownerRef',
      render: token => (
        <EntityRefLink entityRef={token.ownerRef} defaultKind="user" />
      ),
    },
    {
      title: t('tokenTable.columns.kind'),
      field: 'kind',
      render: token => t(`tokenTable.kinds.${token.kind}`),
    },
    {
      title: t('tokenTable.columns.created'),
      field: 'createdAt',
      render: token => <DateTimeText value={token.createdAt} />,
    },
    {
      title: t('tokenTable.columns.expires'),
      field: 'expiresAt',
      render: token => (
        <DateTimeText value={token.expiresAt} variant="expiry" />
      ),
    },
    {
      title: t('tokenTable.columns.lastUsed'),
      field: 'lastUsedAt',
      render: token => <DateTimeText value={token.lastUsedAt} />,
    },
    {
      title: t('tokenTable.columns.state'),
      field: 'state',
      render: token => (
        <Chip
          size="small"
          label={t(`tokenTable.states.${token.state}`)}
          color={token.state === 'active' ? 'primary' : 'default'}
          variant={token.state === 'active' ? 'default' : 'outlined'}
        />
      ),
    },
  ];
  if (canRevoke.allowed) {
    columns.unshift({
      title: (
        <Checkbox
          checked={allSelected}
          disabled={selectable.length === 0}
          onChange={togglePage}
          inputProps={{ 'aria-label': t('inventory.selectPage') }}
        />
      ),
      width: '48px',
      render: token => (
        <Checkbox
          checked={selected.has(token.id)}
          disabled={token.state !== 'active'}
          onChange={() => toggle(token)}
          inputProps={{
            'aria-label': t('inventory.selectToken', { name: token.name }),
          }}
        />
      ),
    });
  }
  // The select-all checkbox in the title shows, and toggles, the selection.
  const stableColumns = useStableColumns(columns, [
    selected,
    allSelected,
    selectable.length,
  ]);
  const rows = useMemo(
    () => page.value.map(token => ({ ...token })),
    [page.value],
  );
  const chosen = [...selected.values()];

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <SummaryCards key={summaryKey} onPick={pick} />
      </Grid>
      <Grid item>
        <InfoCard
          title={t('inventory.title')}
          subheader={t('inventory.subheader')}
          noPadding
          action={
            <Box display="flex" gridGap={8} alignItems="center">
              {canRevoke.allowed && (
                <Button
                  color="secondary"
                  variant="outlined"
                  disabled={chosen.length === 0}
                  onClick={() => setConfirming(true)}
                >
                  {t('inventory.revokeSelected')}
                </Button>
              )}
              <Button
                color="primary"
                variant="contained"
                disabled={exporting}
                onClick={exportCsv}
                startIcon={
                  exporting ? <CircularProgress size={16} /> : undefined
                }
              >
                {exporting
                  ? t('inventory.exporting')
                  : t('inventory.exportCsv')}
              </Button>
            </Box>
          }
        >
          <Box padding={2}>
            <FilterControls filters={filters} onChange={pick} />
            <Box display="flex" alignItems="center" gridGap={16} marginTop={2}>
              <TextField
                select
                id="api-tokens-inventory-sort"
                label={t('inventory.sort.label')}
                value={sort}
                onChange={e => setSort(e.target.value as SortKey)}
                style={{ minWidth: 140 }}
              >
                {SORT_KEYS.map(key => (
                  <MenuItem key={key} value={key}>
                    {t(`inventory.sort.${key}`)}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                id="api-tokens-inventory-order"
                label={t('inventory.sort.order')}
                value={order}
                onChange={e => setOrder(e.target.value as 'asc' | 'desc')}
                style={{ minWidth: 140 }}
              >
                <MenuItem value="asc">{t('inventory.sort.asc')}</MenuItem>
                <MenuItem value="desc">{t('inventory.sort.desc')}</MenuItem>
              </TextField>
              {chosen.length > 0 && (
                <Typography variant="body2" role="status">
                  {t('inventory.selected', { count: chosen.length })}
                </Typography>
              )}
            </Box>
          </Box>
          {page.error && (
            <ApiErrorPanel
              error={page.error}
              title={t('tokenTable.loadError')}
            />
          )}
          {exportError && (
            <ApiErrorPanel
              error={exportError}
              title={t('inventory.exportError')}
            />
          )}
          {page.loading && <Progress />}
          <Table<ApiToken>
            columns={stableColumns}
            data={rows}
            options={{
              toolbar: false,
              paging: false,
              search: false,
              sorting: false,
            }}
            emptyContent={
              <Box padding={2}>
                <Typography variant="body2">
                  {page.loading ? '' : t('inventory.empty')}
                </Typography>
              </Box>
            }
          />
          <Box
            display="flex"
            justifyContent="flex-end"
            alignItems="center"
            gridGap={8}
            padding={1}
          >
            <Typography variant="body2">
              {t('inventory.page', { page: String(page.pageNumber) })}
            </Typography>
            <Button
              onClick={page.previous}
              disabled={!page.hasPrevious || page.loading}
            >
              {t('inventory.previousPage')}
            </Button>
            <Button
              onClick={page.next}
              disabled={!page.hasNext || page.loading}
            >
              {t('inventory.nextPage')}
            </Button>
          </Box>
        </InfoCard>
      </Grid>
      <ConfirmDialog
        open={confirming}
        title={t('inventory.bulkRevokeTitle', { count: chosen.length })}
        confirmLabel={t('tokenTable.revoke')}
        onConfirm={revokeSelected}
        onClose={() => setConfirming(false)}
      >
        {t('inventory.bulkRevokeText', {
          tokens: <strong>{chosen.map(token => token.name).join(', ')}</strong>,
          owners: (
            <>
              {ownersOf(chosen).map((ownerRef, index) => (
                <span key={ownerRef}>
                  {index > 0 && ', '}
                  <EntityRefLink entityRef={ownerRef} defaultKind="user" />
                </span>
              ))}
            </>
          ),
        })}
      </ConfirmDialog>
    </Grid>
  );
}

/**
 * Administrator → Tokens, the credentials inventory: the counts that
 * answer "what needs attention" (each one a filter), every token of the
 * organisation with filters, sort and server-side paging, bulk revoke and a
 * CSV export of the filtered list (metadata only). For those allowed to read
 * every user's tokens.
 *
 * @public
 */
export function TokenInventoryContent() {
  return (
    <PermissionGate permission={apiTokensReadPermission}>
      <InventoryView />
    </PermissionGate>
  );
}
