export { DateTimeText } from './DateTimeText';
export type { DateTimeTextProps } from './DateTimeText';
