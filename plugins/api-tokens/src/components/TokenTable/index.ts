export { TokenTable } from './TokenTable';
export type { TokenTableProps } from './TokenTable';
