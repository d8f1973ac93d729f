export { AdminSettingsContent } from './AdminSettingsContent';
