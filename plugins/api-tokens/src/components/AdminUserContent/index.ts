export { AdminUserContent } from './AdminUserContent';
export type { AdminUserContentProps } from './AdminUserContent';
