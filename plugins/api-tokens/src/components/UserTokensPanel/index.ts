export { UserTokensPanel } from './UserTokensPanel';
export type { UserTokensPanelProps } from './UserTokensPanel';
