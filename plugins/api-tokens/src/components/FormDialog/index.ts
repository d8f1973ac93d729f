export { FormDialog, useOpeningKey } from './FormDialog';
export type { FormDialogProps } from './FormDialog';
