export { NotAllowedPanel } from './NotAllowedPanel';
