import { CustomErrorBase, InputError, NotFoundError } from '@backstage/errors';
import { API_TOKEN_PREFIX } from '@nholuongut/backstage-plugin-api-tokens-common';
import express, { ErrorRequestHandler, Request, RequestHandler } from 'express';

// The OpenAPI spec and its generated validator decide what a well-formed
// request is. This module holds only what the validator cannot do; each
// rule says why it exists.

/**
 * The largest request body the routes accept, in bytes. The largest
 * legitimate body is a setting with a few hundred email addresses.
 */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;
/** The verify route's body is `{ "token": "bsat_…" }`. */
export const MAX_VERIFY_BODY_BYTES = 1024;

/** 413: the request body is larger than the route accepts. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;

  // A getter rather than a field, so that the error body stays
  // `{ name, message }`; Backstage's error handler reads it for the status.
  get statusCode() {
    return 413;
  }
}

/** 415: the request body is not UTF-8 JSON. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;

  get statusCode() {
    return 415;
  }
}

const notJson = () =>
  new UnsupportedMediaTypeError(
    'Request body must be JSON, sent with Content-Type: application/json',
  );

/** Whether a request carries a body, even an empty JSON one. */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (
    req.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && length !== '0')
  );
}

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} kB` : `${bytes} bytes`;
}

/** Our own errors for what body-parser refuses, which carry the raw body. */
export function toBodyError(error: unknown, limitBytes: number): unknown {
  const type = (error as { type?: unknown } | undefined)?.type;
  const status = (error as { status?: unknown } | undefined)?.status;
  switch (type) {
    case 'entity.parse.failed':
      return new InputError('Request body must be valid JSON');
    case 'entity.too.large':
      return new PayloadTooLargeError(
        `Request body must be at most ${formatBytes(limitBytes)}`,
      );
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('Request body must be UTF-8 JSON');
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError(
        'Request body has an unsupported Content-Encoding',
      );
    case 'request.aborted':
      return new InputError('Request body was cut off');
    case 'request.size.invalid':
      return new InputError('Request body does not match its Content-Length');
    default:
      return typeof status === 'number' && status >= 400 && status < 500
        ? new InputError('Request body could not be read')
        : error;
  }
}

/**
 * Parses a JSON body of at most `limitBytes`; requests without one keep
 * `req.body` undefined. It runs before the OpenAPI router, whose error
 * handler would turn every error into a 400: a body over the limit gets
 * 413, one that is not UTF-8 JSON 415. And body-parser's errors carry the
 * raw body, which Backstage's error handler would send back (for the verify
 * route, a token), so its errors are replaced by messages that repeat
 * nothing.
 */
export function parseJsonBody(options: { limitBytes: number }): RequestHandler {
  const { limitBytes } = options;
  // Any JSON value: whether it is the object a route expects is for the
  // validator to say.
  const parse = express.json({
    limit: limitBytes,
    strict: false,
    type: () => true,
  });
  return (req, res, next) => {
    if (!hasBody(req)) {
      next();
    } else if (!req.is(['application/json', '+json'])) {
      next(notJson());
    } else {
      parse(req, res, error =>
        next(error ? toBodyError(error, limitBytes) : undefined),
      );
    }
  };
}

/**
 * Refuses a path that is not valid URL encoding (`%E0%A4%A`) before the
 * routers try to decode its parameters, which would fail with a 500.
 */
export const rejectMalformedPaths: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    next(new InputError('Request path is not valid URL encoding'));
    return;
  }
  next();
};

/** A field name as it may appear in an error message. */
function isShowableFieldName(name: string): boolean {
  // Short identifiers only: a name could be anything the client sent,
  // including a secret pasted in the wrong place.
  return /^[\w$.-]{1,30}$/.test(name) && !name.includes(API_TOKEN_PREFIX);
}

function describeUnknownFields(unknown: string[]): string {
  const shown = unknown
    .filter(isShowableFieldName)
    .slice(0, 5)
    .map(name => `"${name}"`);
  const others = unknown.length - shown.length;
  if (shown.length === 0) {
    return `${others} unknown ${
      others === 1 ? 'field' : 'fields'
    } with a name too long or unusual to repeat`;
  }
  return `unknown ${unknown.length === 1 ? 'field' : 'fields'} ${shown.join(
    ', ',
  )}${others > 0 ? ` and ${others} more` : ''}`;
}

/** What the validator leaves on a request whose route is in the spec. */
interface ValidatedRequest extends Request {
  openapi?: {
    schema: {
      requestBody?: {
        content?: Record<string, { schema?: { properties?: object } }>;
      };
    };
  };
}

/** The fields the spec allows in the request's body. */
function specFields(req: ValidatedRequest): string[] {
  const content = req.openapi?.schema.requestBody?.content;
  return Object.keys(content?.['application/json']?.schema?.properties ?? {});
}

/** A validator message, explained (see `explainValidationErrors`). */
function explain(message: string, req: ValidatedRequest): Error {
  const fields = specFields(req);
  const bodyMissing =
    message.includes("request must have required property 'body'") ||
    /^(unsupported media type|media type not specified)/.test(message);
  if (bodyMissing) {
    return req.body === undefined
      ? new InputError(
          `Request body is required: a JSON object (fields: ${fields.join(
            ', ',
          )}), sent with Content-Type: application/json`,
        )
      : notJson();
  }
  const unknownQuery = /^Unknown query parameter '(.*)'$/s.exec(message);
  if (unknownQuery) {
    return new InputError(
      isShowableFieldName(unknownQuery[1])
        ? `Unknown query parameter "${unknownQuery[1]}"`
        : 'Unknown query parameter, with a name too long or unusual to repeat',
    );
  }
  if (message.includes('request/body must NOT have additional properties')) {
    const unknown = Object.keys(req.body).filter(key => !fields.includes(key));
    return new InputError(
      `Request body has ${describeUnknownFields(
        unknown,
      )}; allowed: ${fields.join(', ')}`,
    );
  }
  return new InputError(
    message
      .replace(
        'request/body must be object',
        'Request body must be a JSON object',
      )
      .replace(/\brequest\/body /g, 'Request body ')
      .replace(/\brequest\/(body|query|params|headers)\//g, '')
      .replace(
        /^Empty value found for query parameter '(\w+)'$/,
        '$1 must not be empty',
      ),
  );
}

/**
 * The validator's errors, explained. Its messages do not name an unknown
 * body field ("must NOT have additional properties"), report a missing body
 * as "unsupported media type undefined" or "request must have required
 * property 'body'", and repeat the name of an unknown query parameter,
 * which could be a secret. Its other messages name the field
 * (`request/body/name must be string`) and never the value; they only lose
 * the `request/…/` prefix. Mount it right after the validator, before the
 * routes, so that it sees the validator's errors only.
 */
export const explainValidationErrors: ErrorRequestHandler = (
  error: Error,
  req: ValidatedRequest,
  _res,
  next,
) => {
  next(explain(error.message, req));
};

/**
 * Routes without a request body in the spec take none, or `{}`: the
 * validator only checks the bodies the spec describes, and a body sent to
 * another route is a client mistake worth naming.
 */
export const refuseUnexpectedBodies: RequestHandler = (
  req: ValidatedRequest,
  _res,
  next,
) => {
  const body: unknown = req.body;
  if (!req.openapi || req.openapi.schema.requestBody || body === undefined) {
    next();
  } else if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    next(new InputError('Request body must be a JSON object'));
  } else if (Object.keys(body).length > 0) {
    next(
      new InputError(
        `This route takes no request body fields, but got ${describeUnknownFields(
          Object.keys(body),
        )}`,
      ),
    );
  } else {
    next();
  }
};

/**
 * Numbers in the query must be finite: the validator lets `limit=1e309`
 * through as Infinity, whatever the spec's maximum.
 */
export const refuseInfiniteNumbers: RequestHandler = (req, _res, next) => {
  const infinite = Object.entries(req.query as Record<string, unknown>).find(
    ([, value]) => typeof value === 'number' && !Number.isFinite(value),
  );
  next(
    infinite
      ? new InputError(`${infinite[0]} must be a finite number`)
      : undefined,
  );
};

/**
 * Answers requests that no route took with Backstage's error body, rather
 * than the root router's empty 404. The path is not repeated: it could hold
 * anything. Backstage's own routes (`/.backstage/…`, `/.well-known/…`),
 * which services may mount after the plugin's router, are left alone.
 */
export const notFound: RequestHandler = (req, _res, next) => {
  if (req.path.startsWith('/.')) {
    next();
    return;
  }
  next(
    new NotFoundError(
      'No API tokens route has this method and path; a userRef in a path must be URL-encoded (user%3Adefault%2Fjane)',
    ),
  );
};
