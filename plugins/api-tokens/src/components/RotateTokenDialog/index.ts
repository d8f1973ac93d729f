export { RotateTokenDialog } from './RotateTokenDialog';
export type { RotateTokenDialogProps } from './RotateTokenDialog';
