/**
 * The parts of the api-tokens backend the bench drives in process. The
 * plugin exports only itself, and a benchmark is no reason to widen that, so
 * they are imported by path here, in this one file (see .eslintrc.js).
 */
export { DatabaseApiTokensStore } from '../../../plugins/api-tokens-backend/src/database/DatabaseApiTokensStore';
export { DatabaseFaultsStore } from '../../../plugins/api-tokens-backend/src/database/DatabaseFaultsStore';
export { DatabaseSettingsStore } from '../../../plugins/api-tokens-backend/src/database/DatabaseSettingsStore';
export { applyDatabaseMigrations } from '../../../plugins/api-tokens-backend/src/database/migrations';
export { encodeCursor } from '../../../plugins/api-tokens-backend/src/database/cursor';
export { ExpiryCheck } from '../../../plugins/api-tokens-backend/src/expiry/ExpiryCheck';
export { ExpirySettings } from '../../../plugins/api-tokens-backend/src/expiry/ExpirySettings';
