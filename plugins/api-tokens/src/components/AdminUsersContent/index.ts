export { AdminUsersContent } from './AdminUsersContent';
