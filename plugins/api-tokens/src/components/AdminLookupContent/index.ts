export { AdminLookupContent } from './AdminLookupContent';
