export { AdminFaultsContent } from './AdminFaultsContent';
export { AdminLookupContent } from './AdminLookupContent';
export { AdminSettingsContent } from './AdminSettingsContent';
export { AdminUsersContent } from './AdminUsersContent';
export { ApiTokensSettingsContent } from './ApiTokensSettingsContent';
export { TokenInventoryContent } from './TokenInventoryContent';
