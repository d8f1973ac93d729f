export { ScopePreviewTable } from './ScopePreviewTable';
