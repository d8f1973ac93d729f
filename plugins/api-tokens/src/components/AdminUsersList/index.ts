export { AdminUsersList } from './AdminUsersList';
