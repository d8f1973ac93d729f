export { SettingDialog } from './SettingDialog';
export type { SettingDialogProps } from './SettingDialog';
