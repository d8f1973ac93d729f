import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
  toError,
} from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  API_TOKENS_AUDIT_EVENTS,
  apiTokensCreatePermission,
  apiTokensFaultsReadPermission,
  apiTokensReadPermission,
  apiTokensRevokePermission,
  apiTokensSettingsReadPermission,
  apiTokensSettingsUpdatePermission,
  isApiTokenSettingKey,
  isWellFormedApiToken,
  validateApiTokenSetting,
} from '@internal/plugin-api-tokens-common';
import express from 'express';
import Router from 'express-promise-router';
import { ApiTokensStore, StoredApiToken } from '../database/ApiTokensStore';
import { FaultLedger } from '../database/FaultLedger';
import { SettingsStore, StoredSetting } from '../database/SettingsStore';
import { ExpiryCheck } from '../expiry/ExpiryCheck';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { readApiTokenCredential } from '@internal/plugin-api-tokens-node';
import { Request, RequestAccess } from './access';
import { LastUseRecorder } from './LastUseRecorder';
import { toApiFault } from './toApiFault';
import { toApiToken } from './toApiToken';
import { TokenDigester } from './TokenDigester';
import { TokenIssuer } from './TokenIssuer';
import { TokenLifetimes } from './TokenLifetimes';
import {
  checkRequestBodies,
  MAX_REQUEST_BODY_BYTES,
  notFound,
  parseJsonBody,
  rejectMalformedPaths,
  requireKnownBodyFields,
} from './requestChecks';
import {
  parseExpiresAt,
  parsePageLimit,
  parseTokenId,
  parseTokenName,
  parseUserRef,
} from './validation';

const DEFAULT_PAGE_SIZE = 100;
/** The verify route's body is `{ "token": "bsat_…" }`. */
const MAX_VERIFY_BODY_BYTES = 1024;
const DEFAULT_TEMPORARY_NAME = 'Temporary token';

function parseSettingKey(key: string) {
  if (!isApiTokenSettingKey(key)) {
    throw new InputError(
      `key must be EnableUserTokenNotification or UserTokenExpirationNotificationEmails`,
    );
  }
  return key;
}

/**
 * A path parameter for auditor metadata: the parsed value, or null when it
 * is invalid. Raw input is never recorded; it could be anything, a secret
 * pasted in the wrong place too.
 */
function validOrNull<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

function toApiSetting(setting: StoredSetting) {
  return {
    type: 'app-config' as const,
    key: setting.key,
    value: setting.value,
    updatedAt: setting.updatedAt.toISOString(),
    updatedBy: setting.updatedBy,
  };
}

/** @internal */
export interface RouterOptions {
  store: ApiTokensStore;
  digester: TokenDigester;
  lifetimes: TokenLifetimes;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  catalog: CatalogService;
  settings: SettingsStore;
  faults: FaultLedger;
  expiryCheck: ExpiryCheck;
  /** The clock; tests move it. */
  now?: () => Date;
}

/** @internal */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    store,
    digester,
    lifetimes,
    httpAuth,
    auditor,
    logger,
    catalog,
    settings,
    faults,
    expiryCheck,
    now = () => new Date(),
  } = options;
  const access = new RequestAccess(httpAuth, options.permissions);
  const issuer = new TokenIssuer(store, digester);
  const lastUse = new LastUseRecorder(store, logger);

  const router = Router();
  router.use(rejectMalformedPaths);
  router.use(internalRoutes());
  // Parsed here rather than by the OpenAPI router, whose error handler would
  // turn a 413 into a 400.
  router.use(parseJsonBody({ limitBytes: MAX_REQUEST_BODY_BYTES }));
  router.use(checkRequestBodies(spec));
  const apiRouter = await createOpenApiRouter();
  router.use(apiRouter);

  /** A page of one owner's tokens, as the API answers it. */
  async function tokenPage(
    ownerRef: string,
    query: { limit?: number; cursor?: string },
  ) {
    const page = await store.listTokens({
      ownerRef,
      limit: parsePageLimit(query.limit, DEFAULT_PAGE_SIZE),
      cursor: query.cursor,
    });
    const at = now();
    return {
      items: page.items.map(token => toApiToken(token, at)),
      nextCursor: page.nextCursor,
    };
  }

  apiRouter.get('/v1/tokens', async (req, res) => {
    const credentials = await access.signedInUser(req);
    res.json(await tokenPage(credentials.principal.userEntityRef, req.query));
  });

  apiRouter.post('/v1/tokens/temporary', async (req, res) => {
    const created = await audited(
      req,
      API_TOKENS_AUDIT_EVENTS.tokenCreate,
      { kind: 'temporary' },
      async () => {
        const credentials = await access.signedInUser(req);
        const ownerRef = credentials.principal.userEntityRef;
        const name = parseTokenName(req.body?.name ?? DEFAULT_TEMPORARY_NAME);
        const createdAt = now();
        return issuer.issue({
          name,
          kind: 'temporary',
          ownerRef,
          createdBy: ownerRef,
          createdAt,
          expiresAt: new Date(createdAt.getTime() + lifetimes.temporary),
        });
      },
      ({ token }) => ({ tokenId: token.id, ownerRef: token.ownerRef }),
    );
    res.status(201).json({
      token: toApiToken(created.token, now()),
      secret: created.secret,
    });
  });

  apiRouter.delete('/v1/tokens/:id', async (req, res) => {
    await audited(
      req,
      API_TOKENS_AUDIT_EVENTS.tokenRevoke,
      { tokenId: validOrNull(() => parseTokenId(req.params.id)) },
      async () => {
        const credentials = await access.signedInUser(req);
        const userRef = credentials.principal.userEntityRef;
        const id = parseTokenId(req.params.id);
        const token = await store.getToken(id);
        const mayRevoke =
          token &&
          (token.ownerRef === userRef ||
            (await access.isAllowed(credentials, apiTokensRevokePermission)));
        if (!token || !mayRevoke) {
          // Other people's tokens are not revealed to those who may not see them.
          throw new NotFoundError(`No API token with id ${id}`);
        }
        return store.revokeToken({
          id: token.id,
          revokedBy: userRef,
          revokedAt: now(),
        });
      },
      token => ({ ownerRef: token?.ownerRef ?? null }),
    );
    res.status(204).end();
  });

  apiRouter.get('/v1/users/:userRef/tokens', async (req, res) => {
    const credentials = await access.signedInUser(req);
    await access.requirePermission(credentials, apiTokensReadPermission);
    res.json(await tokenPage(parseUserRef(req.params.userRef), req.query));
  });

  apiRouter.post('/v1/users/:userRef/tokens', async (req, res) => {
    const created = await audited(
      req,
      API_TOKENS_AUDIT_EVENTS.tokenCreate,
      {
        kind: 'permanent',
        userRef: validOrNull(() => parseUserRef(req.params.userRef)),
      },
      async () => {
        const credentials = await access.signedInUser(req);
        await access.requirePermission(credentials, apiTokensCreatePermission);
        const ownerRef = parseUserRef(req.params.userRef);
        const name = parseTokenName(req.body.name);
        const createdAt = now();
        const latest = new Date(createdAt.getTime() + lifetimes.permanentMax);
        // An empty string is refused, not taken for "the default".
        const expiresAt =
          req.body.expiresAt !== undefined
            ? parseExpiresAt(req.body.expiresAt, { now: createdAt, latest })
            : latest;
        const user = await catalog.getEntityByRef(ownerRef, { credentials });
        if (!user) {
          throw new NotFoundError(`No user ${ownerRef} in the catalog`);
        }
        return issuer.issue({
          name,
          kind: 'permanent',
          ownerRef,
          createdBy: credentials.principal.userEntityRef,
          createdAt,
          expiresAt,
        });
      },
      ({ token }) => ({ tokenId: token.id, ownerRef: token.ownerRef }),
    );
    res.status(201).json({
      token: toApiToken(created.token, now()),
      secret: created.secret,
    });
  });

  apiRouter.get('/v1/self', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    const credential = readApiTokenCredential(req);
    if (!credential) {
      throw new NotFoundError('This request was not made with an API token');
    }
    const token =
      credential.type === 'api-token'
        ? await store.findTokenByDigest(digester.digest(credential.token))
        : await store.getToken(credential.tokenId);
    if (!token) {
      throw new AuthenticationError('Invalid API token');
    }
    res.json(toApiToken(token, now()));
  });

  apiRouter.get('/v1/limits', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    res.json({
      permanentTokenMaxExpiresAt: new Date(
        now().getTime() + lifetimes.permanentMax,
      ).toISOString(),
      temporaryTokenLifetimeSeconds: Math.floor(lifetimes.temporary / 1000),
    });
  });

  apiRouter.get('/v1/tokens/faults', async (req, res) => {
    const credentials = await access.signedInUser(req);
    const page = await faults.listFaults({
      ownerRef: credentials.principal.userEntityRef,
      limit: DEFAULT_PAGE_SIZE,
    });
    res.json({ items: page.items.map(toApiFault) });
  });

  /** Who changes a setting, if they may, and which setting. */
  async function authorizeSettingChange(
    req: Request & { params: { key: string } },
  ) {
    const credentials = await access.signedInUser(req);
    await access.requirePermission(
      credentials,
      apiTokensSettingsUpdatePermission,
    );
    return { credentials, key: parseSettingKey(req.params.key) };
  }

  apiRouter.get('/v1/settings', async (req, res) => {
    const credentials = await access.signedInUser(req);
    await access.requirePermission(
      credentials,
      apiTokensSettingsReadPermission,
    );
    res.json({ items: (await settings.listSettings()).map(toApiSetting) });
  });

  apiRouter.put('/v1/settings/:key', async (req, res) => {
    const setting = await audited(
      req,
      API_TOKENS_AUDIT_EVENTS.settingsUpdate,
      {
        key: validOrNull(() => parseSettingKey(req.params.key)),
        action: 'put',
      },
      async () => {
        const { credentials, key } = await authorizeSettingChange(req);
        if (req.body.type !== 'app-config') {
          throw new InputError(`type must be 'app-config'`);
        }
        const value = req.body.value.trim();
        validateApiTokenSetting(key, value);
        return settings.putSetting({
          key,
          value,
          updatedAt: now(),
          updatedBy: credentials.principal.userEntityRef,
        });
      },
      stored => ({ value: stored.value }),
    );
    res.json(toApiSetting(setting));
  });

  apiRouter.delete('/v1/settings/:key', async (req, res) => {
    await audited(
      req,
      API_TOKENS_AUDIT_EVENTS.settingsUpdate,
      {
        key: validOrNull(() => parseSettingKey(req.params.key)),
        action: 'delete',
      },
      async () => {
        const { key } = await authorizeSettingChange(req);
        if (!(await settings.deleteSetting(key))) {
          throw new NotFoundError(`Setting ${key} is not set`);
        }
      },
      () => ({}),
    );
    res.status(204).end();
  });

  apiRouter.get('/v1/faults', async (req, res) => {
    const credentials = await access.signedInUser(req);
    await access.requirePermission(credentials, apiTokensFaultsReadPermission);
    const page = await faults.listFaults({
      status: req.query.status,
      ownerRef: req.query.ownerRef
        ? parseUserRef(req.query.ownerRef, 'ownerRef')
        : undefined,
      limit: parsePageLimit(req.query.limit, DEFAULT_PAGE_SIZE),
      cursor: req.query.cursor,
    });
    res.json({
      items: page.items.map(toApiFault),
      nextCursor: page.nextCursor,
    });
  });

  apiRouter.post('/v1/expiry-check', async (req, res) => {
    const credentials = await access.signedInUser(req);
    await access.requirePermission(credentials, apiTokensFaultsReadPermission);
    const result = await expiryCheck.run();
    res.json({ ...result, raised: result.raised.map(toApiFault) });
  });

  /**
   * Routes for other backend plugins, outside the public spec. Only the auth
   * plugin may verify tokens: it exchanges them for user tokens.
   */
  function internalRoutes() {
    const internal = Router();
    internal.post(
      '/internal/verify',
      parseJsonBody({ limitBytes: MAX_VERIFY_BODY_BYTES }),
      async (req, res) => {
        const credentials = await httpAuth.credentials(req, {
          allow: ['service'],
        });
        if (credentials.principal.subject !== 'plugin:auth') {
          throw new NotAllowedError(
            'Only the auth plugin may verify API tokens',
          );
        }
        const body: unknown = req.body === undefined ? {} : req.body;
        requireKnownBodyFields(body, ['token']);
        const secret = body.token;
        if (typeof secret !== 'string') {
          throw new InputError('token must be a string');
        }
        const token = await verifyToken(secret);
        res.json({
          tokenId: token.id,
          ownerRef: token.ownerRef,
          expiresAt: token.expiresAt.toISOString(),
        });
      },
    );
    return internal;
  }

  async function verifyToken(secret: string): Promise<StoredApiToken> {
    if (!isWellFormedApiToken(secret)) {
      throw new AuthenticationError('Invalid API token');
    }
    const token = await store.findTokenByDigest(digester.digest(secret));
    if (!token) {
      throw new AuthenticationError('Invalid API token');
    }
    if (token.revokedAt) {
      throw new AuthenticationError('API token has been revoked');
    }
    const at = now();
    if (token.expiresAt <= at) {
      throw new AuthenticationError('API token has expired');
    }
    lastUse.record(token.id, at);
    return token;
  }

  /**
   * Runs a security-relevant action as an auditor event: who asked, whether
   * it succeeded, and why not. The metadata never holds a secret.
   */
  async function audited<T>(
    req: Request,
    eventId: string,
    meta: JsonObject,
    action: () => Promise<T>,
    describe: (result: T) => JsonObject,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      request: req,
      severityLevel: 'medium',
      meta,
    });
    try {
      const result = await action();
      await event.success({ meta: describe(result) });
      return result;
    } catch (error) {
      await event.fail({ error: toError(error) });
      throw error;
    }
  }

  router.use(notFound);
  return router;
}
