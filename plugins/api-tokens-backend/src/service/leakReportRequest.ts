import { AuthenticationError } from '@backstage/errors';
import {
  ApiTokenLookupResult,
  ApiTokenRevokedReason,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import express, { RequestHandler } from 'express';
import { LeakCandidate } from '../database/LeakStore';
import {
  LeakReportRateLimiter,
  TooManyRequestsError,
} from './LeakReportRateLimiter';
import { LeakReporter } from './LeakReportVerifier';
import { LeakService, MAX_LEAK_REPORT_BYTES } from './LeakService';
import { toBodyError } from './requestChecks';
import { toApiToken } from './toApiToken';

/** Who signed each leak report that `readLeakReport` let through. */
const reporters = new WeakMap<object, LeakReporter>();

/**
 * Reads a leak report before the JSON parser: counts it against the
 * endpoint's rate limit (429), reads the raw body (413 above 1 MB), checks
 * its signature over those bytes (401) and only then parses it into
 * `req.body` for the spec's validator.
 */
export function readLeakReport(options: {
  leaks: LeakService;
  leakReportLimiter: LeakReportRateLimiter;
}): RequestHandler {
  const readRaw = express.raw({
    limit: MAX_LEAK_REPORT_BYTES,
    type: () => true,
  });
  return async (req, res, next) => {
    try {
      const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      const retryAfter = await options.leakReportLimiter.take(address);
      if (retryAfter !== undefined) {
        res.setHeader('Retry-After', String(retryAfter));
        throw new TooManyRequestsError(
          `Too many leak reports from this address; try again in ${retryAfter} seconds`,
        );
      }
      await new Promise<void>((resolve, reject) =>
        readRaw(req, res, error =>
          error ? reject(toBodyError(error, MAX_LEAK_REPORT_BYTES)) : resolve(),
        ),
      );
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const report = await options.leaks.authenticate(raw, req.headers, req);
      reporters.set(req, report.reporter);
      req.body = report.body;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Who signed a leak report; only reports `readLeakReport` let through have one. */
export function reporterOf(req: object): LeakReporter {
  const reporter = reporters.get(req);
  if (!reporter) {
    throw new AuthenticationError('The leak report is not signed');
  }
  return reporter;
}

/** The API shape of an admin's token lookup. */
export function toTokenLookupResult(
  token: LeakCandidate,
): ApiTokenLookupResult {
  return {
    token: toApiToken(token),
    revokedReason: (token.revokedReason as ApiTokenRevokedReason) ?? null,
    leakUrl: token.leakUrl ?? null,
  };
}
