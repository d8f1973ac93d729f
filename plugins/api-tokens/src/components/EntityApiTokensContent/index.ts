export { EntityApiTokensContent } from './EntityApiTokensContent';
