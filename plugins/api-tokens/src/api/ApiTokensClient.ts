import {
  DiscoveryApi,
  FetchApi,
  IdentityApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApiToken,
  ApiTokenFault,
  ApiTokenLookupResult,
  ApiTokenInventorySummary,
  ApiTokenPage,
  ApiTokenScope,
  ApiTokenScopePreview,
  ApiTokenSetting,
  ApiTokenSettingKey,
  CreatedApiToken,
  ExpiryCheckResult,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  ApiTokenFaultPage,
  ApiTokenLimits,
  ApiTokensApi,
  ApiTokensPageRequest,
  CreateTemporaryTokenRequest,
  CreateUserTokenRequest,
  ListAllTokensRequest,
  RotateTokenRequest,
  ListFaultsRequest,
} from './ApiTokensApi';
import { SessionTemporaryToken } from './SessionTemporaryToken';

/**
 * Talks to the API tokens backend over HTTP, and keeps the signed-in user's
 * temporary token in browser storage.
 *
 * @public
 */
export class ApiTokensClient implements ApiTokensApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly identityApi: IdentityApi;
  private readonly sessionToken: SessionTemporaryToken;

  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    identityApi: IdentityApi;
    /**
     * Where the temporary token is kept; `localStorage` by default, which
     * every tab of the origin shares, so that all of them show one token
     * rather than each minting its own. It outlives the tab, which is why
     * sign-out clears it (see `withTemporaryTokenSignOut`) and why it is only
     * reused while the backend still accepts it.
     */
    storage?: Storage;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.identityApi = options.identityApi;
    const locks = globalThis.navigator?.locks;
    this.sessionToken = new SessionTemporaryToken({
      storage: options.storage ?? window.localStorage,
      create: () => this.createTemporaryToken(),
      check: secret => this.getTokenOfSecret(secret),
      revoke: id => this.send('DELETE', tokenPath(id)),
      locks: locks && {
        request: (name, callback) => locks.request(name, () => callback()),
      },
    });
  }

  async listOwnTokens(request?: ApiTokensPageRequest): Promise<ApiTokenPage> {
    return this.get(`/v1/tokens${pageQuery(request)}`);
  }

  async createTemporaryToken(
    request: CreateTemporaryTokenRequest = {},
  ): Promise<CreatedApiToken> {
    return this.send('POST', '/v1/tokens/temporary', request);
  }

  async getSessionTemporaryToken(): Promise<CreatedApiToken> {
    return this.sessionToken.get(await this.userRef());
  }

  async revokeSessionTemporaryToken(): Promise<void> {
    await this.sessionToken.revokeAndClear(await this.userRef());
  }

  async revokeToken(id: string): Promise<void> {
    await this.send('DELETE', tokenPath(id));
    this.sessionToken.forget(await this.userRef(), id);
  }

  async listOwnFaults(): Promise<{ items: ApiTokenFault[] }> {
    return this.get('/v1/tokens/faults');
  }

  async listUserTokens(
    userRef: string,
    request?: ApiTokensPageRequest,
  ): Promise<ApiTokenPage> {
    return this.get(
      `/v1/users/${encodeURIComponent(userRef)}/tokens${pageQuery(request)}`,
    );
  }

  async createUserToken(
    userRef: string,
    request: CreateUserTokenRequest,
  ): Promise<CreatedApiToken> {
    return this.send(
      'POST',
      `/v1/users/${encodeURIComponent(userRef)}/tokens`,
      request,
    );
  }

  async rotateToken(
    id: string,
    request: RotateTokenRequest,
  ): Promise<CreatedApiToken> {
    return this.send(
      'POST',
      `/v1/tokens/${encodeURIComponent(id)}/rotate`,
      request,
    );
  }

  async previewTokenScope(
    userRef: string,
    scope: ApiTokenScope | null,
  ): Promise<ApiTokenScopePreview> {
    return this.send(
      'POST',
      `/v1/users/${encodeURIComponent(userRef)}/tokens/preview`,
      { scope },
    );
  }

  async getLimits(): Promise<ApiTokenLimits> {
    return this.get('/v1/limits');
  }

  async listSettings(): Promise<{ items: ApiTokenSetting[] }> {
    return this.get('/v1/settings');
  }

  async updateSetting(
    key: ApiTokenSettingKey,
    value: string,
  ): Promise<ApiTokenSetting> {
    return this.send('PUT', `/v1/settings/${encodeURIComponent(key)}`, {
      type: 'app-config',
      value,
    });
  }

  async deleteSetting(key: ApiTokenSettingKey): Promise<void> {
    await this.send('DELETE', `/v1/settings/${encodeURIComponent(key)}`);
  }

  async listFaults(request?: ListFaultsRequest): Promise<ApiTokenFaultPage> {
    const query = new URLSearchParams();
    if (request?.status) query.set('status', request.status);
    if (request?.ownerRef) query.set('ownerRef', request.ownerRef);
    appendPage(query, request);
    return this.get(`/v1/faults${queryString(query)}`);
  }

  async listAllTokens(request?: ListAllTokensRequest): Promise<ApiTokenPage> {
    const query = new URLSearchParams();
    for (const state of request?.states ?? []) query.append('state', state);
    const {
      states: _states,
      limit: _limit,
      cursor: _cursor,
      ...filters
    } = request ?? {};
    for (const [key, value] of Object.entries(filters)) {
      if (value !== undefined && value !== '') query.set(key, String(value));
    }
    appendPage(query, request);
    return this.get(`/v1/tokens/all${queryString(query)}`);
  }

  async getTokenInventorySummary(): Promise<ApiTokenInventorySummary> {
    return this.get('/v1/tokens/all/summary');
  }

  async acknowledgeFault(id: string): Promise<ApiTokenFault> {
    return this.send(
      'POST',
      `/v1/faults/${encodeURIComponent(id)}/acknowledge`,
      {},
    );
  }

  async runExpiryCheck(): Promise<ExpiryCheckResult> {
    return this.send('POST', '/v1/expiry-check', {});
  }

  async lookUpToken(token: string): Promise<ApiTokenLookupResult> {
    return this.send('POST', '/v1/tokens/lookup', { token });
  }

  private async get<T>(path: string): Promise<T> {
    return this.send('GET', path);
  }

  private async userRef(): Promise<string> {
    return (await this.identityApi.getBackstageIdentity()).userEntityRef;
  }

  // Asks `/v1/self` with the secret itself, rather than the user's session,
  // whether the backend still accepts it.
  private async getTokenOfSecret(
    secret: string,
  ): Promise<ApiToken | undefined> {
    const baseUrl = await this.discoveryApi.getBaseUrl('api-tokens');
    const response = await this.fetchApi.fetch(`${baseUrl}/v1/self`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    if (response.status === 401 || response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as ApiToken;
  }

  private async send<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('api-tokens');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }
}

function tokenPath(id: string): string {
  return `/v1/tokens/${encodeURIComponent(id)}`;
}

function appendPage(query: URLSearchParams, request?: ApiTokensPageRequest) {
  if (request?.limit !== undefined) query.set('limit', String(request.limit));
  if (request?.cursor) query.set('cursor', request.cursor);
}

function pageQuery(request?: ApiTokensPageRequest): string {
  const query = new URLSearchParams();
  appendPage(query, request);
  return queryString(query);
}

function queryString(query: URLSearchParams): string {
  // URLSearchParams writes a space as `+`, which the backend's spec
  // validator takes as a space only in its free-text parameters (those with
  // `allowReserved`) and refuses elsewhere; `%20` means a space everywhere.
  // A `+` in a value is written `%2B`, so every `+` here is a space.
  const text = query.toString().replace(/\+/g, '%20');
  return text ? `?${text}` : '';
}
