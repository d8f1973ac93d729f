export { AdminFaultsContent } from './AdminFaultsContent';
