export { ApiTokensAdminPage } from './ApiTokensAdminPage';
