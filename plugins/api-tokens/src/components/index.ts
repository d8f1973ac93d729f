export { AdminFaultsContent } from './AdminFaultsContent';
export { AdminSettingsContent } from './AdminSettingsContent';
export { AdminUsersContent } from './AdminUsersContent';
export { ApiTokensSettingsContent } from './ApiTokensSettingsContent';
export { TokenInventoryContent } from './TokenInventoryContent';
