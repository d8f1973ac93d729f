export { FaultTable } from './FaultTable';
export type { FaultTableProps } from './FaultTable';
