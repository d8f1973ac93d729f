import { HttpAuthService } from '@backstage/backend-plugin-api';
import express, { RequestHandler } from 'express';
import Router from 'express-promise-router';
import { createOpenApiRouter } from '../schema/openapi';
import { Caller, Request } from './Caller';
import { FaultService } from './FaultService';
import { LeakReportRateLimiter } from './LeakReportRateLimiter';
import { LeakService } from './LeakService';
import {
  readLeakReport,
  reporterOf,
  toTokenLookupResult,
} from './leakReportRequest';
import { InventoryService } from './InventoryService';
import {
  explainValidationErrors,
  MAX_REQUEST_BODY_BYTES,
  MAX_VERIFY_BODY_BYTES,
  notFound,
  parseJsonBody,
  refuseInfiniteNumbers,
  refuseUnexpectedBodies,
  rejectMalformedPaths,
} from './requestChecks';
import { SettingsService } from './SettingsService';
import { toApiFault, toExpiryCheckResult } from './toApiFault';
import { toApiSetting } from './toApiSetting';
import {
  toApiToken,
  toApiTokenPage,
  toApiTokenState,
  toCreatedApiToken,
} from './toApiToken';
import { TokenService } from './TokenService';

/** @internal */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  tokens: TokenService;
  settings: SettingsService;
  faults: FaultService;
  leaks: LeakService;
  leakReportLimiter: LeakReportRateLimiter;
  inventory: InventoryService;
}

/** Bodies are parsed before the OpenAPI router (see `parseJsonBody`). */
const bodyAlreadyParsed: RequestHandler = (_req, _res, next) => next();

/**
 * The REST API: each route reads the request, asks a service and shapes its
 * answer. The services check permissions and report to the auditor; the
 * spec's validator and `requestChecks` check the requests.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, tokens, settings, faults, leaks, inventory } = options;

  /** The signed-in user who sent a request. */
  const callerOf = async (req: Request): Promise<Caller> => ({
    credentials: await httpAuth.credentials(req, { allow: ['user'] }),
    request: req,
  });

  const router = Router();
  router.use(rejectMalformedPaths);
  // Leak reports are authenticated by their signature over the raw body,
  // so they are read here, before the JSON parser (see `readLeakReport`).
  router.post('/v1/leaks', readLeakReport(options));
  router.post(
    '/internal/verify',
    parseJsonBody({ limitBytes: MAX_VERIFY_BODY_BYTES }),
  );
  router.use(parseJsonBody({ limitBytes: MAX_REQUEST_BODY_BYTES }));
  // For every plugin's token handler, which refuses Backstage tokens
  // exchanged from a revoked or expired API token. Internal, so outside the
  // spec.
  router.get('/internal/tokens/:id/state', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    res.json(
      toApiTokenState(await tokens.getState(credentials, req.params.id)),
    );
  });
  // For every plugin's token handler, which looks up the limited tokens
  // forwarded on behalf of a user: did they come from an API token?
  router.get('/internal/derived/:digest/state', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const state = await tokens.getDerivedState(credentials, req.params.digest);
    res.json({ tokenId: state.tokenId, ...toApiTokenState(state) });
  });
  const api = await createOpenApiRouter({ middleware: [bodyAlreadyParsed] });
  api.use(
    explainValidationErrors,
    refuseUnexpectedBodies,
    refuseInfiniteNumbers,
  );
  router.use(api);
  router.use(notFound);

  api.get('/v1/tokens', async (req, res) => {
    res.json(toApiTokenPage(await tokens.list(await callerOf(req), req.query)));
  });

  api.post('/v1/tokens/temporary', async (req, res) => {
    const issued = await tokens.issue(await callerOf(req), {
      kind: 'temporary',
      name: req.body?.name,
      scope: req.body?.scope,
    });
    res.status(201).json(toCreatedApiToken(issued));
  });

  api.delete('/v1/tokens/:id', async (req, res) => {
    await tokens.revoke(await callerOf(req), req.params.id);
    res.status(204).end();
  });

  api.post('/v1/tokens/:id/rotate', async (req, res) => {
    const rotated = await tokens.rotate(
      await callerOf(req),
      req.params.id,
      req.body ?? {},
    );
    res.status(201).json(toCreatedApiToken(rotated));
  });

  api.get('/v1/tokens/all', async (req, res) => {
    const page = await inventory.list(await callerOf(req), req.query);
    res.json(toApiTokenPage(page));
  });

  api.get('/v1/tokens/all/summary', async (req, res) => {
    res.json(await inventory.summarize(await callerOf(req)));
  });

  api.get('/v1/tokens/faults', async (req, res) => {
    const items = await faults.listOwn(await callerOf(req));
    res.json({ items: items.map(toApiFault) });
  });

  api.get('/v1/users/:userRef/tokens', async (req, res) => {
    const page = await tokens.list(await callerOf(req), {
      ...req.query,
      userRef: req.params.userRef,
    });
    res.json(toApiTokenPage(page));
  });

  api.post('/v1/users/:userRef/tokens', async (req, res) => {
    const issued = await tokens.issue(await callerOf(req), {
      kind: 'permanent',
      userRef: req.params.userRef,
      name: req.body.name,
      expiresAt: req.body.expiresAt,
      scope: req.body.scope,
    });
    res.status(201).json(toCreatedApiToken(issued));
  });

  api.post('/v1/users/:userRef/tokens/preview', async (req, res) => {
    const preview = await tokens.previewScope(await callerOf(req), {
      userRef: req.params.userRef,
      scope: req.body.scope,
    });
    res.json(preview);
  });

  api.get('/v1/self', async (req, res) => {
    res.json(toApiToken(await tokens.getCallerToken(await callerOf(req))));
  });

  api.get('/v1/limits', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    const limits = await tokens.limits();
    res.json({
      permanentTokenMaxExpiresAt: limits.permanentMaxExpiresAt.toISOString(),
      temporaryTokenLifetimeSeconds: Math.floor(
        limits.temporaryLifetimeMs / 1000,
      ),
    });
  });

  api.get('/v1/settings', async (req, res) => {
    const items = await settings.list(await callerOf(req));
    res.json({ items: items.map(toApiSetting) });
  });

  api.put('/v1/settings/:key', async (req, res) => {
    const caller = await callerOf(req);
    const setting = await settings.put(caller, req.params.key, req.body.value);
    res.json(toApiSetting(setting));
  });

  api.delete('/v1/settings/:key', async (req, res) => {
    await settings.delete(await callerOf(req), req.params.key);
    res.status(204).end();
  });

  api.get('/v1/faults', async (req, res) => {
    const page = await faults.list(await callerOf(req), req.query);
    res.json({
      items: page.items.map(toApiFault),
      nextCursor: page.nextCursor,
    });
  });

  api.post('/v1/leaks', async (req, res) => {
    res.json(await leaks.report(reporterOf(req), req.body, req));
  });

  api.post('/v1/tokens/lookup', async (req, res) => {
    const token = await leaks.lookup(await callerOf(req), req.body.token);
    res.json(toTokenLookupResult(token));
  });

  api.post('/v1/faults/:id/acknowledge', async (req, res) => {
    const fault = await faults.acknowledge(await callerOf(req), req.params.id);
    res.json(toApiFault(fault));
  });

  api.post('/v1/expiry-check', async (req, res) => {
    const result = await faults.runExpiryCheck(await callerOf(req));
    res.json(toExpiryCheckResult(result));
  });

  // For the token handlers of backend plugins: which clients used a token.
  api.post('/internal/tokens/usage', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    tokens.recordClientUses(credentials, req.body.uses);
    res.status(204).end();
  });

  // For the auth plugin only, which exchanges API tokens for user tokens.
  api.post('/internal/verify', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const token = await tokens.verify(credentials, req.body.token);
    res.json({
      tokenId: token.id,
      ownerRef: token.ownerRef,
      expiresAt: token.expiresAt.toISOString(),
    });
  });

  // For the auth plugin, which records each user token it issued for an
  // API token.
  api.post('/internal/tokens/:id/derived', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    await tokens.recordDerived(credentials, req.params.id, req.body);
    res.status(204).end();
  });

  return router;
}
