export { TokenInventoryContent } from './TokenInventoryContent';
