import { CustomErrorBase, InputError, NotFoundError } from '@backstage/errors';
import { API_TOKEN_PREFIX } from '@internal/plugin-api-tokens-common';
import express, { Request, RequestHandler } from 'express';

/**
 * The largest request body the public routes accept, in bytes. The largest
 * legitimate body is a setting with a few hundred email addresses; a bigger
 * one is refused with 413 before it is parsed.
 */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

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

/**
 * Our own errors for what body-parser refuses. Its errors carry the raw body
 * (`body`), which Backstage's error handler would send back: for the verify
 * route that is a token.
 */
function toBodyError(error: unknown, limitBytes: number): unknown {
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
 * Parses a JSON request body of at most `limitBytes`. Requests without a
 * body are left alone (`req.body` stays undefined); a body that is not JSON
 * gets 415, invalid JSON 400 and a body over the limit 413, each with a
 * message that does not repeat the body.
 */
export function parseJsonBody(options: { limitBytes: number }): RequestHandler {
  const { limitBytes } = options;
  // Any JSON value is parsed; whether it is the object a route expects is
  // for `checkRequestBodies` to say, with a clearer message.
  const parse = express.json({
    limit: limitBytes,
    strict: false,
    type: () => true,
  });
  return (req, res, next) => {
    if (!hasBody(req)) {
      next();
      return;
    }
    if (!req.is(['application/json', '+json'])) {
      next(
        new UnsupportedMediaTypeError(
          'Request body must be JSON, sent with Content-Type: application/json',
        ),
      );
      return;
    }
    parse(req, res, error =>
      next(error ? toBodyError(error, limitBytes) : undefined),
    );
  };
}

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

/**
 * Throws `InputError` unless `body` is a JSON object whose fields are all in
 * `allowed` (any fields when `allowed` is undefined); the message names the
 * unknown fields and the allowed ones.
 */
export function requireKnownBodyFields(
  body: unknown,
  allowed?: readonly string[],
): asserts body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError('Request body must be a JSON object');
  }
  if (!allowed) {
    return;
  }
  const unknown = Object.keys(body).filter(key => !allowed.includes(key));
  if (unknown.length === 0) {
    return;
  }
  throw new InputError(
    allowed.length === 0
      ? `This route takes no request body fields, but got ${describeUnknownFields(
          unknown,
        )}`
      : `Request body has ${describeUnknownFields(
          unknown,
        )}; allowed: ${allowed.join(', ')}`,
  );
}

/** The parts of an OpenAPI document that say what request bodies may hold. */
interface RequestBodySpec {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
}

interface BodyRule {
  method: string;
  path: RegExp;
  /** How many path parameters the path has. */
  parameters: number;
  required: boolean;
  /** The allowed fields; undefined when the schema allows any. */
  fields?: readonly string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** The fields a body schema allows; undefined when it allows any. */
function allowedFields(
  schema: { properties?: object; additionalProperties?: unknown } | undefined,
): string[] | undefined {
  return schema?.additionalProperties === false
    ? Object.keys(schema.properties ?? {})
    : undefined;
}

function bodyRules(spec: RequestBodySpec): BodyRule[] {
  const rules: BodyRule[] = [];
  for (const [template, operations] of Object.entries(spec.paths)) {
    // Like the OpenAPI validator: case-insensitive, optional trailing slash.
    const literals = template
      .split(/\{[^}]+\}/)
      .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const path = new RegExp(`^${literals.join('[^/]+')}/?$`, 'i');
    for (const method of METHODS) {
      const operation = operations[method] as
        | {
            requestBody?: {
              required?: boolean;
              content?: Record<string, { schema?: unknown }>;
            };
          }
        | undefined;
      if (!operation) {
        continue;
      }
      const requestBody = operation.requestBody;
      let schema = requestBody?.content?.['application/json']?.schema as
        | {
            $ref?: string;
            properties?: object;
            additionalProperties?: unknown;
          }
        | undefined;
      if (schema?.$ref) {
        const name = schema.$ref.replace('#/components/schemas/', '');
        schema = spec.components?.schemas?.[name] as typeof schema;
      }
      rules.push({
        method: method.toUpperCase(),
        path,
        parameters: literals.length - 1,
        required: requestBody?.required ?? false,
        fields: requestBody ? allowedFields(schema) : [],
      });
    }
  }
  // Literal paths before templated ones, e.g. /v1/tokens/faults first.
  return rules.sort((a, b) => a.parameters - b.parameters);
}

/**
 * Checks request bodies against the spec before the OpenAPI validator does,
 * to name what is wrong: a missing body, a body that is not an object, and
 * the fields it does not define (the validator only says "must NOT have
 * additional properties"). Routes without a request body accept none, or
 * `{}`. Run it after {@link parseJsonBody}.
 */
export function checkRequestBodies(spec: RequestBodySpec): RequestHandler {
  const rules = bodyRules(spec);
  return (req, _res, next) => {
    const rule = rules.find(
      r => r.method === req.method && r.path.test(req.path),
    );
    try {
      if (rule && req.body !== undefined) {
        requireKnownBodyFields(req.body, rule.fields);
      } else if (rule?.required) {
        throw new InputError(
          `Request body is required: a JSON object${
            rule.fields ? ` (fields: ${rule.fields.join(', ')})` : ''
          }, sent with Content-Type: application/json`,
        );
      }
    } catch (error) {
      next(error);
      return;
    }
    next();
  };
}

/**
 * Refuses a path that is not valid URL encoding (`%E0%A4%A`), before the
 * routers try to decode its parameters.
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
