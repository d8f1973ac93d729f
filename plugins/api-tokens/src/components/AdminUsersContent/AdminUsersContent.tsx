import { apiTokensReadPermission } from '@nholuongut/backstage-plugin-api-tokens-common';
import { Route, Routes, useParams } from 'react-router-dom';
import { AdminUserContent } from '../AdminUserContent';
import { AdminUsersList } from '../AdminUsersList';
import { PermissionGate } from '../PermissionGate';

function UserFromPath() {
  const { userRef = '' } = useParams();
  return <AdminUserContent userRef={userRef} />;
}

/**
 * Administrator → Users: the catalog's users, and under `:userRef` a user's
 * page with their tokens. Refuses people without the permission to read
 * other users' tokens. Renders no header, so it serves both frontend systems.
 *
 * @public
 */
export function AdminUsersContent() {
  return (
    <PermissionGate permission={apiTokensReadPermission}>
      <Routes>
        <Route path="/" element={<AdminUsersList />} />
        <Route path=":userRef/*" element={<UserFromPath />} />
      </Routes>
    </PermissionGate>
  );
}
