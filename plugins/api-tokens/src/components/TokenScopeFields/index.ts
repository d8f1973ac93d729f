export { TokenScopeFields } from './TokenScopeFields';
