import { InfoCard, Link, TableColumn } from '@backstage/core-components';
import {
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
  UserEntity,
} from '@backstage/catalog-model';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import SearchIcon from '@material-ui/icons/Search';
import { useMemo, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { useCatalogUsers } from '../../hooks';
import { apiTokensTranslationRef } from '../../translation';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ListTable } from '../ListTable';

interface UserRow {
  ref: string;
  name: string;
  displayName: string;
  email: string;
  /** Relative to the users page. */
  path: string;
}

function toRow(entity: UserEntity): UserRow {
  const { name, namespace = DEFAULT_NAMESPACE } = entity.metadata;
  const ref = stringifyEntityRef(entity);
  return {
    ref,
    name,
    displayName:
      entity.spec?.profile?.displayName ?? entity.metadata.title ?? '',
    email: entity.spec?.profile?.email ?? '',
    // Users of the default namespace get the short address /users/jane.
    path: encodeURIComponent(namespace === DEFAULT_NAMESPACE ? name : ref),
  };
}

/** The catalog's users, searchable, one page at a time; each links to its page. */
export function AdminUsersList() {
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const [search, setSearch] = useState('');
  const [debouncedSearch, setDebouncedSearch] = useState('');
  useDebounce(() => setDebouncedSearch(search), 300, [search]);
  const users = useCatalogUsers(debouncedSearch);
  const rows = useMemo(() => users.value.map(toRow), [users.value]);
  const term = debouncedSearch.trim();

  const columns: TableColumn<UserRow>[] = [
    {
      title: t('users.columns.username'),
      field: 'name',
      render: row => <Link to={row.path}>{row.name}</Link>,
    },
    { title: t('users.columns.name'), field: 'displayName' },
    { title: t('users.columns.email'), field: 'email' },
    {
      title: t('users.columns.entity'),
      field: 'ref',
      render: row => (
        <Typography variant="body2" color="textSecondary">
          {row.ref}
        </Typography>
      ),
    },
  ];

  return (
    <InfoCard
      title={t('users.title')}
      subheader={t('users.subheader')}
      noPadding
    >
      <Box padding={2}>
        <TextField
          id="api-tokens-user-search"
          label={t('users.search')}
          type="search"
          variant="outlined"
          size="small"
          fullWidth
          value={search}
          onChange={e => setSearch(e.target.value)}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon />
              </InputAdornment>
            ),
          }}
        />
      </Box>
      {users.error && (
        <ApiErrorPanel error={users.error} title={t('users.loadError')} />
      )}
      <ListTable
        columns={columns}
        items={rows}
        rowId={row => row.ref}
        loading={users.loading}
        emptyText={
          term ? t('users.noMatch', { search: term }) : t('users.empty')
        }
      />
      <Box
        display="flex"
        alignItems="center"
        justifyContent="flex-end"
        padding={1}
      >
        {users.totalItems !== undefined && (
          <Typography variant="body2" color="textSecondary" role="status">
            {t('users.count', { count: users.totalItems })}
          </Typography>
        )}
        <Button
          onClick={users.previous}
          disabled={!users.hasPrevious || users.loading}
        >
          {t('users.previousPage')}
        </Button>
        <Button onClick={users.next} disabled={!users.hasNext || users.loading}>
          {t('users.nextPage')}
        </Button>
      </Box>
    </InfoCard>
  );
}
