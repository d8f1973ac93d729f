export { ExpiryCheckResultPanel } from './ExpiryCheckResultPanel';
