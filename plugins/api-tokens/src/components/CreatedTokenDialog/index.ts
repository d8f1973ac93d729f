export { CreatedTokenDialog } from './CreatedTokenDialog';
export type { CreatedTokenDialogProps } from './CreatedTokenDialog';
