import {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  API_TOKENS_AUDIT_EVENTS,
  apiTokenHint,
  ApiTokenScope,
  ApiTokenScopePreview,
  describeApiTokenScope,
  apiTokensCreatePermission,
  apiTokensReadPermission,
  apiTokensRevokePermission,
  apiTokensRotatePermission,
  DAY_MS,
  generateApiToken,
  HOUR_MS,
  isWellFormedApiToken,
  parseUserRef,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  ApiTokenRevocationSignal,
  readApiTokenCredential,
} from '@nholuongut/backstage-plugin-api-tokens-node';
import { randomUUID } from 'node:crypto';
import {
  ApiTokenList,
  ApiTokensStore,
  NewApiToken,
  RotationRefusal,
  StoredApiToken,
  StoredTokenClient,
  StoredApiTokenKind,
} from '../database/ApiTokensStore';
import { FaultLedger } from '../database/FaultLedger';
import { SettingsStore } from '../database/SettingsStore';
import { audited } from './audited';
import { Authorizer } from './Authorizer';
import { Caller } from './Caller';
import { InstalledPermissions } from './InstalledPermissions';
import { PermissionProbe } from './PermissionProbe';
import { LastUseRecorder } from './LastUseRecorder';
import { LifetimePolicy } from './LifetimePolicy';
import { TokenDigester } from './TokenDigester';
import { grantOf } from './tokenGrant';
import { TokenLifetimes } from './TokenLifetimes';
import { parseExpiresAt, parseTokenName } from './tokenRules';

/** The page size when a request names none. */
export const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_TEMPORARY_NAME = 'Temporary token';
/** The reason recorded when minting a temporary token revokes older ones. */
export const TEMPORARY_TOKEN_CAP_REASON = 'temporary-token-cap';
/** How long a rotated token keeps working when the request names no overlap. */
export const DEFAULT_ROTATION_OVERLAP_HOURS = 24;
/** The longest overlap a rotation may have: a week. */
export const MAX_ROTATION_OVERLAP_HOURS = 168;
/** The client addresses and user agents a report may carry at most. */
const CLIENT_FIELD_LIMITS = { address: 100, userAgent: 255 };
/**
 * What a client may not put in the user agent or address we show in lists
 * and emails: control, line-breaking and invisible formatting characters.
 */
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\p{Cf}]/gu;

function printable(text: string, maxLength: number): string {
  return text.replace(UNPRINTABLE, '').slice(0, maxLength);
}
/** How long a preview token may live if deleting it fails. */
const PREVIEW_LIFETIME_MS = 60_000;

/** What a caller asks to be issued. */
export type IssueTokenRequest =
  | {
      kind: 'temporary';
      /** `Temporary token` when not given. */
      name?: string;
      /** What the token may do; its owner's full power when not given. */
      scope?: ApiTokenScope | null;
    }
  | {
      kind: 'permanent';
      /** The owner: a user ref, or a name in the default namespace. */
      userRef: string;
      name: string;
      /** An ISO 8601 date or date-time; the latest allowed when not given. */
      expiresAt?: string;
      /**
       * What the token may do; its owner's full power when not given, unless
       * `apiTokens.requireScope` is set.
       */
      scope?: ApiTokenScope | null;
    };

/** A token just issued, with its secret, which nothing returns again. */
export interface IssuedToken {
  token: StoredApiToken;
  secret: string;
}

/** Which page of whose tokens a caller asks for. */
export interface TokenListRequest {
  /** Another user's tokens (which takes a permission); the caller's own when not given. */
  userRef?: string;
  limit?: number;
  cursor?: string;
  /** Only tokens not used (nor created) for at least this many days. */
  unusedForDays?: number;
}

/** A token as listed: to admins, with the clients that used it last. */
export type ListedApiToken = StoredApiToken & {
  recentClients?: StoredTokenClient[];
};

/** A page of listed tokens. */
export interface ListedApiTokenPage {
  items: ListedApiToken[];
  nextCursor?: string;
}

/** How a caller asks for a token to be rotated. */
export interface RotateTokenRequest {
  /**
   * How long the old token keeps working, 0–168 hours (fractions allowed);
   * 24 when not given.
   */
  overlapHours?: number;
  /** The new token's expiry, as at creation; the latest allowed when not given. */
  expiresAt?: string;
}

/** A rotation: the new token with its secret, and the old one as it is now. */
export interface RotatedToken extends IssuedToken {
  replaced: StoredApiToken;
}

/** A client's use of a token, as a token handler reports it. */
export interface ClientUseReport {
  tokenId: string;
  address: string;
  userAgent?: string;
}

/** Whether a token may still be used, until when, and what it may do. */
export interface TokenState {
  /** Neither revoked nor expired. */
  active: boolean;
  expiresAt: Date;
  scope: ApiTokenScope | null;
}

/** The state of the API token a Backstage user token was exchanged for. */
export interface DerivedTokenState extends TokenState {
  tokenId: string;
}

/** The lifetimes tokens are issued with, as of now. */
export interface TokenLimits {
  permanentMaxExpiresAt: Date;
  temporaryLifetimeMs: number;
}

/** @internal */
export interface TokenServiceOptions {
  store: ApiTokensStore;
  digester: TokenDigester;
  lifetimes: TokenLifetimes;
  /** Where `MaximumTokenLifetimeDays` is read, which can lower `lifetimes`. */
  settings: SettingsStore;
  /** Where rotation resolves the faults of the token it replaces. */
  faults: Pick<FaultLedger, 'resolveRotatedTokenFaults'>;
  /**
   * How many temporary tokens a user may have active; minting one more
   * revokes their oldest.
   */
  maxActiveTemporaryTokens: number;
  authorizer: Authorizer;
  auditor: AuditorService;
  catalog: CatalogService;
  logger: LoggerService;
  /** What scopes may name. */
  installedPermissions: InstalledPermissions;
  /** Asks the permission backend, for scope previews. */
  permissionProbe: PermissionProbe;
  /** Whether new permanent tokens must have a scope (`apiTokens.requireScope`). */
  requireScope: boolean;
  /** Tells the token handlers of every replica that tokens were revoked or rotated. */
  revocations: Pick<ApiTokenRevocationSignal, 'announce'>;
  /** The clock; tests move it. */
  now?: () => Date;
}

/** What a refused rotation answers (409). */
const ROTATION_REFUSALS: Record<RotationRefusal, string> = {
  revoked: 'This API token has been revoked and cannot be rotated',
  expired: 'This API token has expired and cannot be rotated',
  rotated:
    'This API token has been rotated already; rotate its successor instead',
};

/** A path parameter for auditor metadata: the parsed value, or null. */
function validOrNull<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

/**
 * The one owner of API tokens: it issues, lists, looks up, verifies and
 * revokes them, checks who may, and reports each change to the auditor.
 * Only the digest of a secret is stored.
 */
export class TokenService {
  private readonly store: ApiTokensStore;
  private readonly digester: TokenDigester;
  private readonly lifetimes: TokenLifetimes;
  private readonly lifetimePolicy: LifetimePolicy;
  private readonly faults: Pick<FaultLedger, 'resolveRotatedTokenFaults'>;
  private readonly logger: LoggerService;
  private readonly maxActiveTemporaryTokens: number;
  private readonly authorizer: Authorizer;
  private readonly auditor: AuditorService;
  private readonly catalog: CatalogService;
  private readonly lastUse: LastUseRecorder;
  private readonly installedPermissions: InstalledPermissions;
  private readonly permissionProbe: PermissionProbe;
  private readonly requireScope: boolean;
  private readonly revocations: Pick<ApiTokenRevocationSignal, 'announce'>;
  private readonly now: () => Date;

  constructor(options: TokenServiceOptions) {
    this.store = options.store;
    this.digester = options.digester;
    this.lifetimes = options.lifetimes;
    this.lifetimePolicy = new LifetimePolicy(
      options.lifetimes,
      options.settings,
    );
    this.faults = options.faults;
    this.logger = options.logger;
    this.maxActiveTemporaryTokens = options.maxActiveTemporaryTokens;
    this.authorizer = options.authorizer;
    this.auditor = options.auditor;
    this.catalog = options.catalog;
    this.lastUse = new LastUseRecorder(options.store, options.logger);
    this.installedPermissions = options.installedPermissions;
    this.permissionProbe = options.permissionProbe;
    this.requireScope = options.requireScope;
    this.revocations = options.revocations;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Issues a temporary token to the caller, or a permanent one to a user of
   * the catalog, which takes the create permission. A temporary token beyond
   * the caller's cap revokes their oldest active ones, each audited.
   */
  async issue(
    caller: Caller,
    request: IssueTokenRequest,
  ): Promise<IssuedToken> {
    const meta: JsonObject =
      request.kind === 'temporary'
        ? { kind: 'temporary' }
        : {
            kind: 'permanent',
            userRef: validOrNull(() => parseUserRef(request.userRef)),
          };
    return audited(this.auditor, {
      eventId: API_TOKENS_AUDIT_EVENTS.tokenCreate,
      caller,
      meta,
      run: () =>
        request.kind === 'temporary'
          ? this.issueTemporary(caller, request)
          : this.issuePermanent(caller, request),
      outcome: ({ token }) => ({
        tokenId: token.id,
        ownerRef: token.ownerRef,
        scope: describeApiTokenScope(token.scope),
      }),
    });
  }

  /**
   * A page of the caller's own tokens, or of another user's, which takes
   * the read permission and shows the clients that used each token last.
   */
  async list(
    caller: Caller,
    request: TokenListRequest,
  ): Promise<ListedApiTokenPage> {
    let ownerRef: string;
    if (request.userRef === undefined) {
      ownerRef = this.authorizer.requireSignedInUser(caller);
    } else {
      await this.authorizer.requirePermission(caller, apiTokensReadPermission);
      ownerRef = parseUserRef(request.userRef);
    }
    const page: ApiTokenList = await this.store.listTokens({
      ownerRef,
      limit: request.limit ?? DEFAULT_PAGE_SIZE,
      cursor: request.cursor,
      unusedSince:
        request.unusedForDays === undefined
          ? undefined
          : new Date(this.now().getTime() - request.unusedForDays * DAY_MS),
    });
    if (request.userRef === undefined) {
      return page;
    }
    const clients = await this.store.listRecentClients(
      page.items.map(token => token.id),
    );
    return {
      ...page,
      items: page.items.map(token => ({
        ...token,
        recentClients: clients.get(token.id) ?? [],
      })),
    };
  }

  /**
   * Rotates a permanent token, which takes the rotate permission: a new
   * token with the same grant replaces it, and the old one keeps working
   * for the overlap (its expiry becomes the end of the overlap, unless it
   * expires sooner). A revoked, expired or already rotated token cannot be
   * rotated. The old token's open faults are resolved.
   */
  async rotate(
    caller: Caller,
    id: string,
    request: RotateTokenRequest = {},
  ): Promise<RotatedToken> {
    const tokenId = id.toLocaleLowerCase('en-US');
    return audited(this.auditor, {
      eventId: API_TOKENS_AUDIT_EVENTS.tokenRotate,
      caller,
      meta: { tokenId, overlapHours: request.overlapHours ?? null },
      run: () => this.rotateToken(caller, tokenId, request),
      outcome: ({ token, replaced }) => ({
        ownerRef: token.ownerRef,
        newTokenId: token.id,
        replacedExpiresAt: replaced.expiresAt.toISOString(),
      }),
    });
  }

  /**
   * Records the uses of tokens by client addresses that the token handlers
   * of backend plugins report, after the answers they served.
   */
  recordClientUses(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
    uses: ClientUseReport[],
  ): void {
    this.authorizer.requireBackendPlugin(credentials);
    const usedAt = this.now();
    for (const use of uses) {
      this.lastUse.recordClient({
        tokenId: use.tokenId.toLocaleLowerCase('en-US'),
        address: printable(use.address, CLIENT_FIELD_LIMITS.address),
        userAgent: printable(
          use.userAgent ?? '',
          CLIENT_FIELD_LIMITS.userAgent,
        ),
        usedAt,
      });
    }
  }

  /**
   * Revokes a token of the caller's, or anyone's with the revoke permission.
   * Revoking twice keeps the first revocation. Tokens the caller may not
   * revoke are not found, so that they are not revealed either.
   */
  async revoke(caller: Caller, id: string): Promise<StoredApiToken> {
    // Ids are lower-case UUIDs; one in upper case names the same token.
    const tokenId = id.toLocaleLowerCase('en-US');
    return audited(this.auditor, {
      eventId: API_TOKENS_AUDIT_EVENTS.tokenRevoke,
      caller,
      meta: { tokenId },
      run: async () => {
        const userRef = this.authorizer.requireSignedInUser(caller);
        const token = await this.store.getToken(tokenId);
        const mayRevoke =
          token &&
          (token.ownerRef === userRef ||
            (await this.authorizer.isAllowed(
              caller,
              apiTokensRevokePermission,
            )));
        const revoked =
          mayRevoke &&
          (await this.store.revokeToken({
            id: tokenId,
            revokedBy: userRef,
            revokedAt: this.now(),
          }));
        if (!revoked) {
          throw new NotFoundError(`No API token with id ${tokenId}`);
        }
        await this.revocations.announce(tokenId);
        return revoked;
      },
      outcome: token => ({ ownerRef: token.ownerRef }),
    });
  }

  /**
   * The token the caller's request was made with, for `/v1/self`: the API
   * token itself, or the one a user token was exchanged for.
   */
  async getCallerToken(caller: Caller): Promise<StoredApiToken> {
    const credential = readApiTokenCredential(caller.request);
    if (!credential) {
      throw new NotFoundError('This request was not made with an API token');
    }
    const token =
      credential.type === 'api-token'
        ? await this.store.findTokenByDigest(
            this.digester.digest(credential.token),
          )
        : await this.store.getToken(credential.tokenId);
    if (!token) {
      throw new AuthenticationError('Invalid API token');
    }
    return token;
  }

  /**
   * Verifies a secret for the auth plugin, which exchanges it for a user
   * token of its owner, and records the use. A malformed secret is refused
   * without a database lookup.
   */
  async verify(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
    secret: string,
  ): Promise<StoredApiToken> {
    this.authorizer.requireAuthPlugin(credentials);
    const token = isWellFormedApiToken(secret)
      ? await this.store.findTokenByDigest(this.digester.digest(secret))
      : undefined;
    if (!token) {
      throw new AuthenticationError('Invalid API token');
    }
    if (token.revokedAt) {
      throw new AuthenticationError('API token has been revoked');
    }
    const at = this.now();
    if (token.expiresAt <= at) {
      throw new AuthenticationError('API token has expired');
    }
    this.lastUse.record(token.id, at);
    return token;
  }

  /**
   * Whether a token may still be used, for the token handlers of every
   * plugin, which refuse Backstage tokens exchanged from a revoked or expired
   * API token. Unknown ids are not found.
   */
  async getState(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
    id: string,
  ): Promise<TokenState> {
    this.authorizer.requireBackendPlugin(credentials);
    const tokenId = id.toLocaleLowerCase('en-US');
    const token = await this.store.getToken(tokenId);
    if (!token) {
      // The id is not repeated: it could be anything the caller sent.
      throw new NotFoundError('No such API token');
    }
    return this.stateOf(token);
  }

  /**
   * Records that the auth plugin exchanged an API token for a Backstage user
   * token, by the digest of the user token's identity proof: the limited
   * tokens that plugins forward on behalf of the user are signed with it, so
   * every plugin's token handler can tell that they came from this API token.
   */
  async recordDerived(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
    id: string,
    derived: { digest: string; expiresAt: string },
  ): Promise<void> {
    this.authorizer.requireAuthPlugin(credentials);
    const token = await this.store.getToken(id.toLocaleLowerCase('en-US'));
    if (!token) {
      throw new NotFoundError('No such API token');
    }
    await this.store.recordDerivedToken({
      tokenId: token.id,
      digest: derived.digest,
      expiresAt: new Date(derived.expiresAt),
    });
  }

  /**
   * The state of the API token that a Backstage user token was exchanged
   * for, by the digest of its identity proof; not found for user tokens that
   * did not come from an API token.
   */
  async getDerivedState(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
    digest: string,
  ): Promise<DerivedTokenState> {
    this.authorizer.requireBackendPlugin(credentials);
    const token = await this.store.findTokenByDerivedDigest(digest);
    if (!token) {
      throw new NotFoundError('No such exchanged token');
    }
    return { tokenId: token.id, ...this.stateOf(token) };
  }

  /**
   * What a token with the given scope, owned by the given user, would be
   * allowed, for each permission the installed plugins publish: a token
   * that lives for this call asks the permission backend, so the answer is
   * the portal's own policy's, through the same checks as real requests.
   * Takes the create permission, like creating the token.
   */
  async previewScope(
    caller: Caller,
    request: { userRef: string; scope?: ApiTokenScope | null },
  ): Promise<ApiTokenScopePreview> {
    const createdBy = await this.authorizer.requirePermission(
      caller,
      apiTokensCreatePermission,
    );
    const ownerRef = await this.requireCatalogUser(caller, request.userRef);
    const scope = await this.installedPermissions.parseScope(request.scope);
    const { plugins, permissions } = await this.installedPermissions.list();
    const createdAt = this.now();
    const { token, secret } = this.withSecret({
      name: 'Scope preview',
      kind: 'preview',
      ownerRef,
      createdBy,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + PREVIEW_LIFETIME_MS),
      scope,
    });
    await this.store.createToken(token);
    try {
      const results = await this.permissionProbe.authorize(secret, permissions);
      return {
        plugins,
        permissions: permissions.map((permission, i) => ({
          name: permission.name,
          pluginId: permission.pluginId,
          type: permission.type,
          ...(permission.type === 'resource'
            ? { resourceType: permission.resourceType }
            : {}),
          ...(permission.attributes.action
            ? { action: permission.attributes.action }
            : {}),
          result: results[i],
        })),
      };
    } finally {
      await this.store.deleteToken(token.id);
    }
  }

  private stateOf(token: StoredApiToken): TokenState {
    return {
      active: !token.revokedAt && token.expiresAt > this.now(),
      expiresAt: token.expiresAt,
      scope: token.scope,
    };
  }

  /** The owner's entity ref, once the catalog confirms the user exists. */
  private async requireCatalogUser(
    caller: Caller,
    userRef: string,
  ): Promise<string> {
    const ownerRef = parseUserRef(userRef);
    const user = await this.catalog.getEntityByRef(ownerRef, {
      credentials: caller.credentials,
    });
    if (!user) {
      throw new NotFoundError(`No user ${ownerRef} in the catalog`);
    }
    return ownerRef;
  }

  /** The lifetimes tokens issued now get. */
  async limits(): Promise<TokenLimits> {
    return {
      permanentMaxExpiresAt: new Date(
        this.now().getTime() + (await this.lifetimePolicy.permanentMax()),
      ),
      temporaryLifetimeMs: this.lifetimes.temporary,
    };
  }

  private async issueTemporary(
    caller: Caller,
    request: Extract<IssueTokenRequest, { kind: 'temporary' }>,
  ): Promise<IssuedToken> {
    const ownerRef = this.authorizer.requireSignedInUser(caller);
    const name = parseTokenName(request.name ?? DEFAULT_TEMPORARY_NAME);
    const scope = await this.installedPermissions.parseScope(request.scope);
    const createdAt = this.now();
    const { token, secret } = this.withSecret({
      name,
      kind: 'temporary',
      ownerRef,
      createdBy: ownerRef,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.lifetimes.temporary),
      scope,
    });
    const created = await this.store.createTemporaryToken(token, {
      maxActive: this.maxActiveTemporaryTokens,
    });
    for (const revoked of created.revoked) {
      await this.revocations.announce(revoked.id);
      await audited(this.auditor, {
        eventId: API_TOKENS_AUDIT_EVENTS.tokenRevoke,
        caller,
        meta: { tokenId: revoked.id, reason: TEMPORARY_TOKEN_CAP_REASON },
        // Already revoked, in the transaction that stored the new token.
        run: async () => revoked,
        outcome: ({ ownerRef: owner }) => ({ ownerRef: owner }),
      });
    }
    return { token: created.token, secret };
  }

  private async issuePermanent(
    caller: Caller,
    request: Extract<IssueTokenRequest, { kind: 'permanent' }>,
  ): Promise<IssuedToken> {
    const createdBy = await this.authorizer.requirePermission(
      caller,
      apiTokensCreatePermission,
    );
    const ownerRef = parseUserRef(request.userRef);
    const name = parseTokenName(request.name);
    if (this.requireScope && !request.scope) {
      throw new InputError(
        'scope is required: this portal issues only scoped permanent tokens (apiTokens.requireScope)',
      );
    }
    const scope = await this.installedPermissions.parseScope(request.scope);
    const createdAt = this.now();
    const expiresAt = await this.permanentExpiry(request.expiresAt, createdAt);
    await this.requireCatalogUser(caller, ownerRef);
    const { token, secret } = this.withSecret({
      name,
      kind: 'permanent',
      ownerRef,
      createdBy,
      createdAt,
      expiresAt,
      scope,
    });
    return { token: await this.store.createToken(token), secret };
  }

  /**
   * The expiry of a permanent token issued at `createdAt`: the one asked
   * for, no later than the lifetime policy allows, or that latest.
   */
  private async permanentExpiry(
    requested: string | undefined,
    createdAt: Date,
  ): Promise<Date> {
    const latest = new Date(
      createdAt.getTime() + (await this.lifetimePolicy.permanentMax()),
    );
    // An empty string is refused, not taken for "the default".
    return requested === undefined
      ? latest
      : parseExpiresAt(requested, { now: createdAt, latest });
  }

  private async rotateToken(
    caller: Caller,
    tokenId: string,
    request: RotateTokenRequest,
  ): Promise<RotatedToken> {
    const createdBy = await this.authorizer.requirePermission(
      caller,
      apiTokensRotatePermission,
    );
    const overlapHours = request.overlapHours ?? DEFAULT_ROTATION_OVERLAP_HOURS;
    if (
      !Number.isFinite(overlapHours) ||
      overlapHours < 0 ||
      overlapHours > MAX_ROTATION_OVERLAP_HOURS
    ) {
      throw new InputError(
        `overlapHours must be a number of hours from 0 to ${MAX_ROTATION_OVERLAP_HOURS}`,
      );
    }
    const old = await this.store.getToken(tokenId);
    if (!old) {
      throw new NotFoundError(`No API token with id ${tokenId}`);
    }
    if (old.kind !== 'permanent') {
      throw new ConflictError(
        'Only permanent tokens can be rotated; a temporary token ends with its session',
      );
    }
    const createdAt = this.now();
    const { token, secret } = this.withSecret({
      ...grantOf(old),
      createdBy,
      createdAt,
      expiresAt: await this.permanentExpiry(request.expiresAt, createdAt),
    });
    const rotated = await this.store.rotateToken({
      id: tokenId,
      successor: token,
      overlapEndsAt: new Date(
        createdAt.getTime() + Math.round(overlapHours * HOUR_MS),
      ),
    });
    if (rotated === undefined) {
      throw new NotFoundError(`No API token with id ${tokenId}`);
    }
    if (typeof rotated === 'string') {
      throw new ConflictError(ROTATION_REFUSALS[rotated]);
    }
    // The old token now ends with the overlap: replicas must not go on with
    // the expiry they cached.
    await this.revocations.announce(tokenId);
    await this.faults
      .resolveRotatedTokenFaults({ tokenId, resolvedAt: createdAt })
      .catch(error =>
        // The next expiry check resolves them instead.
        this.logger.warn(
          `Could not resolve the faults of rotated token ${tokenId}`,
          error,
        ),
      );
    return { token: rotated.token, secret, replaced: rotated.replaced };
  }

  /** A new token with a fresh secret, of which only the digest is stored. */
  private withSecret(token: {
    name: string;
    kind: StoredApiTokenKind;
    ownerRef: string;
    createdBy: string;
    createdAt: Date;
    expiresAt: Date;
    scope: ApiTokenScope | null;
  }): { token: NewApiToken; secret: string } {
    const secret = generateApiToken();
    return {
      token: {
        ...token,
        id: randomUUID(),
        digest: this.digester.digest(secret),
        hint: apiTokenHint(secret),
      },
      secret,
    };
  }
}
