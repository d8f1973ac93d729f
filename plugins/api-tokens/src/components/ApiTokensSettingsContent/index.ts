export { ApiTokensSettingsContent } from './ApiTokensSettingsContent';
