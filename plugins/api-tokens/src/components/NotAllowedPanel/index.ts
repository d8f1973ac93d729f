export { NotAllowedPanel, NOT_ALLOWED_MESSAGE } from './NotAllowedPanel';
