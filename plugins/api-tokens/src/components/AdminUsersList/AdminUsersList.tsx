import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import {
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
  UserEntity,
} from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import SearchIcon from '@material-ui/icons/Search';
import { useMemo, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { useCatalogUsers } from '../../hooks';
import { ApiErrorPanel } from '../ApiErrorPanel';

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
  const [search, setSearch] = useState('');
  const [debouncedSearch, setDebouncedSearch] = useState('');
  useDebounce(() => setDebouncedSearch(search), 300, [search]);
  const users = useCatalogUsers(debouncedSearch);
  const rows = useMemo(
    () => users.users.map(entity => toRow(entity as UserEntity)),
    [users.users],
  );

  const columns: TableColumn<UserRow>[] = [
    {
      title: 'Username',
      field: 'name',
      render: row => <Link to={row.path}>{row.name}</Link>,
    },
    { title: 'Name', field: 'displayName' },
    { title: 'Email', field: 'email' },
    {
      title: 'Entity',
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
      title="Users"
      subheader="Pick a user to see and create their API tokens"
      noPadding
    >
      <Box padding={2}>
        <TextField
          id="api-tokens-user-search"
          label="Search users"
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
        <ApiErrorPanel error={users.error} title="Could not load users" />
      )}
      <Table<UserRow>
        columns={columns}
        data={rows}
        isLoading={users.loading}
        options={{ toolbar: false, paging: false, search: false }}
        emptyContent={
          <Box padding={2}>
            <Typography variant="body2">
              {debouncedSearch.trim()
                ? `No users match "${debouncedSearch.trim()}".`
                : 'There are no users in the catalog.'}
            </Typography>
          </Box>
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
            {users.totalItems === 1 ? '1 user' : `${users.totalItems} users`}
          </Typography>
        )}
        <Button
          onClick={users.previous}
          disabled={!users.hasPrevious || users.loading}
        >
          Previous page
        </Button>
        <Button onClick={users.next} disabled={!users.hasNext || users.loading}>
          Next page
        </Button>
      </Box>
    </InfoCard>
  );
}
