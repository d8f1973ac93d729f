export { TemporaryTokenCard } from './TemporaryTokenCard';
export type { TemporaryTokenCardProps } from './TemporaryTokenCard';
