import { ResponseError } from '@backstage/errors';
import {
  ApiToken,
  ApiTokenFault,
  CreatedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { ApiTokensApi } from '../api';

/** A token for tests; times are relative to now so relative texts are stable. */
export function makeToken(overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id: 'token-1',
    name: 'ci-deploy',
    kind: 'permanent',
    ownerRef: 'user:default/jane',
    createdBy: 'user:default/alice',
    createdAt: DateTime.now().minus({ days: 2 }).toISO()!,
    expiresAt: DateTime.now().plus({ days: 300 }).toISO()!,
    lastUsedAt: null,
    revokedAt: null,
    revokedBy: null,
    hint: 'wxyz',
    state: 'active',
    scope: null,
    ...overrides,
  };
}

export function makeCreated(
  overrides: Partial<ApiToken> = {},
  secret = 'bsat_0123456789abcdefghijABCDEFGHIJ01abcdef',
): CreatedApiToken {
  return { token: makeToken(overrides), secret };
}

export function makeFault(
  overrides: Partial<ApiTokenFault> = {},
): ApiTokenFault {
  return {
    id: 'fault-1',
    kind: 'expiry',
    emailAddress: null,
    leakUrl: null,
    tokenId: 'token-1',
    tokenName: 'ci-deploy',
    ownerRef: 'user:default/jane',
    thresholdDays: 15,
    expiresAt: DateTime.now().plus({ days: 12, hours: 1 }).toISO()!,
    raisedAt: DateTime.now().minus({ days: 3 }).toISO()!,
    status: 'open',
    resolvedAt: null,
    resolution: null,
    ...overrides,
  };
}

/**
 * An API whose every method is a jest mock that fails unless set up.
 */
export function mockApiTokensApi(
  overrides: Partial<jest.Mocked<ApiTokensApi>> = {},
): jest.Mocked<ApiTokensApi> {
  const unexpected = (name: string) =>
    jest.fn(() => Promise.reject(new Error(`unexpected call to ${name}`)));
  return {
    listOwnTokens: unexpected('listOwnTokens'),
    createTemporaryToken: unexpected('createTemporaryToken'),
    getSessionTemporaryToken: unexpected('getSessionTemporaryToken'),
    revokeSessionTemporaryToken: unexpected('revokeSessionTemporaryToken'),
    revokeToken: unexpected('revokeToken'),
    listOwnFaults: unexpected('listOwnFaults'),
    listUserTokens: unexpected('listUserTokens'),
    createUserToken: unexpected('createUserToken'),
    rotateToken: unexpected('rotateToken'),
    previewTokenScope: unexpected('previewTokenScope'),
    getLimits: unexpected('getLimits'),
    listSettings: unexpected('listSettings'),
    updateSetting: unexpected('updateSetting'),
    deleteSetting: unexpected('deleteSetting'),
    listFaults: unexpected('listFaults'),
    runExpiryCheck: unexpected('runExpiryCheck'),
    lookUpToken: unexpected('lookUpToken'),
    listAllTokens: unexpected('listAllTokens'),
    acknowledgeFault: unexpected('acknowledgeFault'),
    getTokenInventorySummary: unexpected('getTokenInventorySummary'),
    ...overrides,
  } as jest.Mocked<ApiTokensApi>;
}

/** The error the client throws for a Backstage error body. */
export async function makeResponseError(
  statusCode: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({ error: { name, message }, response: { statusCode } }),
      { status: statusCode, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}
