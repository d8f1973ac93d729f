import { InputError } from '@backstage/errors';
import { generateApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import express from 'express';
import request from 'supertest';
import { createOpenApiRouter } from '../schema/openapi';
import {
  explainValidationErrors,
  parseJsonBody,
  refuseInfiniteNumbers,
  refuseUnexpectedBodies,
} from './requestChecks';

/**
 * The spec's validator with the checks around it, as the router mounts
 * them, answering what it parsed or the error. Built once: compiling the
 * spec's validators takes a while, and the app keeps no state.
 */
let built: Promise<express.Express> | undefined;
function app() {
  built ??= buildApp();
  return built;
}

async function buildApp() {
  const server = express();
  // Backstage authenticates requests before the plugin's router; the
  // validator checks that there is a bearer token.
  server.use((req, _res, next) => {
    req.headers.authorization = 'Bearer test';
    next();
  });
  server.use(parseJsonBody({ limitBytes: 100 }));
  const api = await createOpenApiRouter({
    middleware: [(_req, _res, next) => next()],
  });
  api.use(
    explainValidationErrors,
    refuseUnexpectedBodies,
    refuseInfiniteNumbers,
  );
  server.use(api);
  // What passed the checks: the validator checks every route of the spec.
  server.use((req, res) => {
    res.json({ body: req.body ?? null });
  });
  server.use(
    (
      error: Error & { statusCode?: number },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      res.status(error.statusCode ?? (InputError.is(error) ? 400 : 500)).json({
        error: { ...error, name: error.name, message: error.message },
      });
    },
  );
  return server;
}

const create = async (body: string) =>
  request(await app())
    .post('/v1/users/bob/tokens')
    .set('Content-Type', 'application/json')
    .send(body);

describe('the request checks around the validator', () => {
  it('passes valid bodies, and requests without one where none is required', async () => {
    expect((await create('{"name":"x"}')).body.body).toEqual({ name: 'x' });
    const temporary = await request(await app()).post('/v1/tokens/temporary');
    expect(temporary.body.body).toBeNull();
    const listed = await request(await app())
      .get('/v1/tokens')
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(listed.status).toBe(200);
  });

  it('names unknown fields and the allowed ones', async () => {
    expect((await create('{"name":"x","owner":"y"}')).body.error.message).toBe(
      'Request body has unknown field "owner"; allowed: name, expiresAt, scope',
    );
    expect(
      (await create('{"name":"x","__proto__":{},"constructor":1}')).body.error
        .message,
    ).toBe(
      'Request body has unknown fields "__proto__", "constructor"; allowed: name, expiresAt, scope',
    );
  });

  it('does not repeat long, unusual or secret-looking names', async () => {
    const token = generateApiToken();
    for (const name of [token, 'a'.repeat(31), 'line\nbreak', 'b\u202ec']) {
      const res = await create(JSON.stringify({ name: 'x', [name]: 1 }));
      expect(res.body.error.message).toBe(
        'Request body has 1 unknown field with a name too long or unusual to repeat; allowed: name, expiresAt, scope',
      );
    }
    const query = await request(await app()).get(`/v1/tokens?${token}=1`);
    expect(query.status).toBe(400);
    expect(query.text).not.toContain(token);
    const named = await request(await app()).get('/v1/tokens?foo=1');
    expect(named.body.error.message).toBe('Unknown query parameter "foo"');
  });

  it('says what is wrong with a body or a parameter, naming the field', async () => {
    expect((await create('[{"name":"x"}]')).body.error.message).toBe(
      'Request body must be a JSON object',
    );
    expect((await create('{"name":5}')).body.error.message).toBe(
      'name must be string',
    );
    expect((await create('{}')).body.error.message).toBe(
      "Request body must have required property 'name'",
    );
    const missing = await request(await app()).post('/v1/users/bob/tokens');
    expect(missing.body.error.message).toBe(
      'Request body is required: a JSON object (fields: name, expiresAt, scope), sent with Content-Type: application/json',
    );
    for (const limit of ['2000', '1e309', '-Infinity']) {
      const res = await request(await app()).get(`/v1/tokens?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^limit must be/);
    }
  });

  it('refuses bodies on routes that take none', async () => {
    const res = await request(await app())
      .get('/v1/tokens')
      .set('Content-Type', 'application/json')
      .send('{"owner":1}');
    expect(res.body.error.message).toBe(
      'This route takes no request body fields, but got unknown field "owner"',
    );
  });

  it.each([
    ['{"name": "x"', 400, 'Request body must be valid JSON'],
    [
      `{"name": "${'x'.repeat(200)}"}`,
      413,
      'Request body must be at most 100 bytes',
    ],
  ])(
    'answers %s with %s, without repeating the body',
    async (raw, status, message) => {
      const res = await create(raw);
      expect(res.status).toBe(status);
      expect(res.body.error).toEqual({
        name: status === 400 ? 'InputError' : 'PayloadTooLargeError',
        message,
      });
    },
  );

  it('answers 415 to bodies that are not UTF-8 JSON', async () => {
    for (const type of [
      'text/plain',
      'application/json; charset=latin1',
      'application/merge-patch+json',
    ]) {
      const res = await request(await app())
        .post('/v1/users/bob/tokens')
        .set('Content-Type', type)
        .send('{"name":"x"}');
      expect(res.status).toBe(415);
      expect(res.body.error.name).toBe('UnsupportedMediaTypeError');
    }
  });
});
