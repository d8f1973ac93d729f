import { InputError } from '@backstage/errors';
import { generateApiToken } from '@internal/plugin-api-tokens-common';
import express from 'express';
import request from 'supertest';
import {
  checkRequestBodies,
  parseJsonBody,
  requireKnownBodyFields,
} from './requestChecks';

const spec = {
  paths: {
    '/things': {
      get: {},
      post: {
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/NewThing' },
            },
          },
        },
      },
    },
    '/things/{id}': {
      put: {
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { anything: {} },
              },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      NewThing: {
        type: 'object',
        additionalProperties: false,
        properties: { name: {}, size: {} },
      },
    },
  },
};

/** An app with the checks, answering what it parsed or the error. */
function app() {
  const server = express();
  server.use(parseJsonBody({ limitBytes: 100 }));
  server.use(checkRequestBodies(spec));
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

describe('requireKnownBodyFields', () => {
  const message = (body: unknown, allowed?: string[]) => {
    try {
      requireKnownBodyFields(body, allowed);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('accepts objects with known fields, and any object without a list', () => {
    expect(message({ name: 'x' }, ['name', 'size'])).toBeUndefined();
    expect(message({}, [])).toBeUndefined();
    expect(message({ whatever: 1 })).toBeUndefined();
  });

  it.each([[null], [[]], ['text'], [5], [true]])(
    'refuses %j, which is not an object',
    body => {
      expect(message(body, ['name'])).toBe(
        'Request body must be a JSON object',
      );
    },
  );

  it('names unknown fields and the allowed ones', () => {
    expect(message({ name: 'x', owner: 'y' }, ['name', 'size'])).toBe(
      'Request body has unknown field "owner"; allowed: name, size',
    );
    expect(message(JSON.parse('{"__proto__":{},"constructor":1}'), [])).toBe(
      'This route takes no request body fields, but got unknown fields "__proto__", "constructor"',
    );
  });

  it('names at most five, and counts the rest', () => {
    const body = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`f${i}`, i]),
    );
    expect(message(body, ['name'])).toBe(
      'Request body has unknown fields "f0", "f1", "f2", "f3", "f4" and 3 more; allowed: name',
    );
  });

  it('does not repeat long, unusual or secret-looking names', () => {
    const token = generateApiToken();
    for (const name of [token, 'a'.repeat(31), 'line\nbreak', 'b\u202ec']) {
      const text = message({ [name]: 1 }, ['name']);
      expect(text).toBe(
        'Request body has 1 unknown field with a name too long or unusual to repeat; allowed: name',
      );
    }
    expect(message({ [token]: 1, ok: 2 }, ['name'])).toBe(
      'Request body has unknown fields "ok" and 1 more; allowed: name',
    );
  });
});

describe('parseJsonBody and checkRequestBodies', () => {
  it('passes valid bodies, and requests without one', async () => {
    const created = await request(app()).post('/things').send({ name: 'x' });
    expect(created.body).toEqual({ body: { name: 'x' } });
    const listed = await request(app()).get('/things');
    expect(listed.body).toEqual({ body: null });
    const empty = await request(app())
      .get('/things')
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(empty.body).toEqual({ body: {} });
  });

  it('takes the allowed fields from the spec, following $ref, and matches paths like the validator', async () => {
    for (const path of ['/things', '/THINGS', '/things/']) {
      const res = await request(app()).post(path).send({ name: 'x', bad: 1 });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'Request body has unknown field "bad"; allowed: name, size',
      );
    }
    // A schema without additionalProperties: false allows any field.
    const open = await request(app()).put('/things/7').send({ other: 1 });
    expect(open.status).toBe(200);
    const closed = await request(app()).get('/things').send({ other: 1 });
    expect(closed.body.error.message).toMatch(/takes no request body fields/);
  });

  it('says when a required body is missing', async () => {
    const res = await request(app()).post('/things');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Request body is required: a JSON object (fields: name, size), sent with Content-Type: application/json',
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
      const res = await request(app())
        .post('/things')
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(res.status).toBe(status);
      expect(res.body.error).toEqual({
        name: status === 400 ? 'InputError' : 'PayloadTooLargeError',
        message,
      });
    },
  );

  it('answers 415 to bodies that are not UTF-8 JSON', async () => {
    for (const type of ['text/plain', 'application/json; charset=latin1']) {
      const res = await request(app())
        .post('/things')
        .set('Content-Type', type)
        .send('{"name":"x"}');
      expect(res.status).toBe(415);
      expect(res.body.error.name).toBe('UnsupportedMediaTypeError');
    }
  });
});
