export { TokenDetailsDialog } from './TokenDetailsDialog';
export type { TokenDetailsDialogProps } from './TokenDetailsDialog';
