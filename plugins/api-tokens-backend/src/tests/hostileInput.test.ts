/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRefused", "expectSettingRefused"] }] */
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  API_TOKEN_PREFIX,
  CreatedApiToken,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import fc from 'fast-check';
import { Knex } from 'knex';
import request from 'supertest';
import { auditEvents, deepText } from '../__testUtils__/recording';
import {
  FullStackBackend,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';
import { spec } from '../schema/openapi';
import { databaseDump } from './__testUtils__/databaseDump';
import { withOneChange } from './__testUtils__/withOneChange';

/**
 * Hostile input against every route of the spec and the internal verify
 * route, on the whole stack (real auth, decorator, root router defaults).
 * Every request must get a 4xx with Backstage's error body and a clear
 * message, quickly, without a stack trace, without repeating a secret, and
 * without changing the database or polluting prototypes.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const BASE = '/api/api-tokens';
/** No answer may take longer: hostile input must not make a request hang. */
const TIME_BOUND_MS = 5_000;
/** A clear message is a sentence, not an echo of a 10 KB input. */
const MAX_MESSAGE_LENGTH = 500;
const TEN_KB = 'a'.repeat(10_000);

type Method = 'get' | 'post' | 'put' | 'delete';

interface Route {
  method: Method;
  /** The path template, `/v1/users/{userRef}/tokens`. */
  path: string;
  body: 'none' | 'optional' | 'required';
}

/**
 * The leak report route takes a scanner's signed array, not a user's
 * object: its hostile input has its own cases below, and the signed ones
 * are in leakReports.test.ts.
 */
const LEAK_REPORT_PATH = '/v1/leaks';

/** Every operation of the spec, the internal verify route included. */
const ROUTES: Route[] = [
  ...Object.entries(spec.paths)
    .filter(([path]) => path !== LEAK_REPORT_PATH)
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => {
        const requestBody = (
          operation as { requestBody?: { required?: boolean } }
        ).requestBody;
        let body: Route['body'] = 'none';
        if (requestBody) {
          body = requestBody.required ? 'required' : 'optional';
        }
        return { method: method as Method, path, body };
      }),
    ),
];

const routeName = (route: Route) =>
  `${route.method.toUpperCase()} ${route.path}`;

/** Valid values of the path parameters, which cases replace one by one. */
const VALID_PARAMS: Record<string, string> = {
  userRef: 'bob',
  id: '00000000-0000-4000-8000-000000000000',
  key: 'EnableUserTokenNotification',
};

/** A valid body for a route, which cases spoil. */
function validBody(route: Route): Record<string, unknown> {
  switch (`${route.method} ${route.path}`) {
    case 'post /v1/users/{userRef}/tokens':
    case 'post /v1/tokens/temporary':
      return { name: 'deploys' };
    case 'put /v1/settings/{key}':
      return { type: 'app-config', value: '15' };
    case 'post /internal/verify':
    case 'post /v1/tokens/lookup':
      return { token: generateApiToken() };
    case 'post /internal/tokens/usage':
      return { uses: [] };
    case 'post /internal/tokens/{id}/derived':
      return { digest: 'a'.repeat(64), expiresAt: '2099-01-01T00:00:00Z' };
    case 'post /v1/users/{userRef}/tokens/preview':
      return { scope: { readOnly: true } };
    default:
      return {};
  }
}

/** A path segment: a value to URL-encode, or a raw, already encoded one. */
type Segment = string | { raw: string };

interface HostileRequest {
  route: Route;
  params?: Record<string, Segment>;
  query?: string;
  headers?: Record<string, string>;
  /** A raw body, sent as is, with `type` (default application/json). */
  body?: { raw: string; type?: string };
  /** Who calls: the admin (default), the auth plugin, or the headers only. */
  as?: 'admin' | 'auth-plugin' | 'headers';
}

interface Expectation {
  status: number;
  /** What the message must say, e.g. the field it is about. */
  message?: RegExp;
  /** Strings the answer must not contain. */
  secrets?: string[];
}

/** The random part of a token, which is as secret as the token. */
const randomPart = (token: string) =>
  token.slice(API_TOKEN_PREFIX.length, API_TOKEN_PREFIX.length + 32);

/** A short, printable label of a test value, for test names. */
function label(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60
    ? `${text.slice(0, 40)}… (${text.length} chars)`
    : text;
}

function findKey(value: unknown, key: string): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  return Object.entries(value).some(([k, v]) => k === key || findKey(v, key));
}

describe.each(databases.eachSupportedId())(
  'hostile input on %s',
  databaseId => {
    const nodeEnv = process.env.NODE_ENV;
    let stack: FullStackBackend;
    let knex: Knex;
    let adminToken: string;
    let authPluginToken: string;
    /** A live token of bob's, which no hostile request may use or reveal. */
    let bobsToken: CreatedApiToken;
    let databaseBefore: string;
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

    beforeAll(async () => {
      // Backstage's error handler adds stack traces to error bodies when
      // NODE_ENV is development; assert what production answers, whatever
      // the test runner set. It is read when the routers are created.
      process.env.NODE_ENV = 'production';
      knex = await databases.init(databaseId);
      stack = await startApiTokensBackend({ stack: 'full', knex });
      adminToken = await stack.signIn('alice');
      authPluginToken = await stack.pluginToken('auth');
      const created = await request(stack.url)
        .post(`${BASE}/v1/users/bob/tokens`)
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ name: 'CI' })
        .expect(201);
      bobsToken = created.body;
      databaseBefore = await databaseDump(knex);
    });

    afterAll(async () => {
      process.env.NODE_ENV = nodeEnv;
      await stack?.stop();
    });

    function url(req: HostileRequest): string {
      const path = req.route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = req.params?.[name] ?? VALID_PARAMS[name];
        return typeof value === 'string'
          ? encodeURIComponent(value)
          : value.raw;
      });
      return `${BASE}${path}${req.query ? `?${req.query}` : ''}`;
    }

    async function send(req: HostileRequest) {
      const as =
        req.as ??
        (req.route.path.startsWith('/internal/') ? 'auth-plugin' : 'admin');
      let test = request(stack.url)
        [req.route.method](url(req))
        .timeout(TIME_BOUND_MS);
      if (as !== 'headers') {
        test = test.set(
          'Authorization',
          `Bearer ${as === 'admin' ? adminToken : authPluginToken}`,
        );
      }
      test = test.set(req.headers ?? {});
      if (req.body) {
        test = test
          .set('Content-Type', req.body.type ?? 'application/json')
          .send(req.body.raw);
      }
      const startedAt = Date.now();
      const res = await test;
      return { res, elapsed: Date.now() - startedAt };
    }

    /** Sends a hostile request and checks that it was refused cleanly. */
    async function expectRefused(req: HostileRequest, expected: Expectation) {
      const { res, elapsed } = await send(req);
      const context = `${routeName(req.route)} → ${res.status} ${res.text}`;

      expect(elapsed).toBeLessThan(TIME_BOUND_MS);
      expect({ context, status: res.status }).toEqual({
        context,
        status: expected.status,
      });
      const secrets = [
        bobsToken.secret,
        randomPart(bobsToken.secret),
        ...(expected.secrets ?? []).flatMap(s => [s, randomPart(s)]),
      ];
      // Backstage's error body repeats the request's URL, which is what the
      // client sent itself; everything else must not repeat a secret. Parts
      // too short to be secret would match by chance.
      const answer = res.body?.request
        ? JSON.stringify({
            ...res.body,
            request: { method: res.body.request.method },
          })
        : res.text;
      for (const secret of secrets.filter(part => part.length >= 8)) {
        expect(answer).not.toContain(secret);
      }
      if (res.status === 431) {
        // Node's HTTP parser refuses the headers before Backstage sees the
        // request; the status line is the whole answer.
        expect(res.text).toBe('');
        return;
      }
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const { error } = res.body;
      expect(typeof error?.name).toBe('string');
      expect(typeof error?.message).toBe('string');
      expect(error.message.trim()).not.toBe('');
      expect(error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      expect(res.body.response?.statusCode).toBe(res.status);
      // No stack trace, and nothing of the request body repeated.
      expect(findKey(res.body, 'stack')).toBe(false);
      expect(findKey(res.body.error, 'body')).toBe(false);
      expect(res.text).not.toMatch(/\n\s+at |\bat [^ ]+ \(/);
      if (expected.message) {
        expect({ context, message: error.message }).toEqual({
          context,
          message: expect.stringMatching(expected.message),
        });
      }
    }

    describe.each(ROUTES.map(route => [routeName(route), route] as const))(
      '%s',
      (_name, route) => {
        const valid = JSON.stringify(validBody(route));
        const withField = (field: string) =>
          valid === '{}' ? `{${field}}` : `{${field},${valid.slice(1)}`;
        const isVerify = route.path === '/internal/verify';
        const limit = isVerify ? /at most 1 kB/ : /at most 64 kB/;

        it.each([
          [
            'a __proto__ key',
            withField('"__proto__":{"polluted":"yes"}'),
            /"__proto__"/,
          ],
          [
            'a constructor.prototype key',
            withField('"constructor":{"prototype":{"polluted":"yes"}}'),
            /"constructor"/,
          ],
          [
            'a prototype key',
            withField('"prototype":{"polluted":"yes"}'),
            /"prototype"/,
          ],
          [
            'an unknown field',
            withField('"owner":"user:default/alice"'),
            /"owner"/,
          ],
          [
            'an unknown field with a secret for a name',
            withField(`"${generateApiToken()}":1`),
            /1 unknown field with a name too long or unusual/,
          ],
          ['an array instead of an object', `[${valid}]`, /JSON object/],
          ['null', 'null', /JSON object/],
          ['a string', '"name"', /JSON object/],
          ['a number', '42', /JSON object/],
          ['invalid JSON', valid.slice(0, -1), /valid JSON/],
          ['garbage', 'garbage', /valid JSON/],
          ['single quotes', "{'name':'x'}", /valid JSON/],
          ['a trailing comma', `{"a":1,}`, /valid JSON/],
          [
            'deep nesting',
            // Within the body limit of the route.
            `${'['.repeat(isVerify ? 500 : 30_000)}${']'.repeat(
              isVerify ? 500 : 30_000,
            )}`,
            /JSON object|valid JSON/,
          ],
        ])('answers 400 to a body with %s', async (_case, raw, message) => {
          await expectRefused(
            { route, body: { raw } },
            { status: 400, message, secrets: raw.match(/bsat_\w+/g) ?? [] },
          );
        });

        it('answers 413 to a body of 1 MB', async () => {
          await expectRefused(
            {
              route,
              body: { raw: JSON.stringify({ name: 'a'.repeat(1024 * 1024) }) },
            },
            { status: 413, message: limit },
          );
        });

        it('answers 415 to a body that is not JSON', async () => {
          await expectRefused(
            {
              route,
              body: {
                raw: 'name=x',
                type: 'application/x-www-form-urlencoded',
              },
            },
            { status: 415, message: /JSON/ },
          );
          await expectRefused(
            { route, body: { raw: valid, type: 'text/plain' } },
            { status: 415, message: /JSON/ },
          );
          await expectRefused(
            {
              route,
              body: { raw: valid, type: 'application/json; charset=latin1' },
            },
            { status: 415, message: /UTF-8/ },
          );
        });

        if (route.body === 'required') {
          it('answers 400 to a missing body', async () => {
            const message = isVerify ? /token/ : /body is required/;
            await expectRefused({ route }, { status: 400, message });
            await expectRefused(
              { route, body: { raw: '' } },
              { status: 400, message },
            );
          });
        }

        it('answers 431 to a 16 KB Authorization header', async () => {
          await expectRefused(
            {
              route,
              as: 'headers',
              headers: { Authorization: `Bearer ${'a'.repeat(16 * 1024)}` },
            },
            { status: 431 },
          );
        });

        it('answers 401 to a 15 KB bearer token and to many headers', async () => {
          await expectRefused(
            {
              route,
              as: 'headers',
              headers: { Authorization: `Bearer ${'a'.repeat(15 * 1024)}` },
            },
            { status: 401 },
          );
          const token = generateApiToken();
          await expectRefused(
            {
              route,
              as: 'headers',
              headers: {
                ...Object.fromEntries(
                  Array.from({ length: 300 }, (_, i) => [
                    `x-hostile-${i}`,
                    `${i}`,
                  ]),
                ),
                Authorization: `Bearer ${token}`,
              },
            },
            { status: 401, message: /Invalid API token/, secrets: [token] },
          );
        });

        it('answers 401 to random and changed API tokens, without repeating them', async () => {
          const secret = bobsToken.secret;
          const tokens = [
            // Random strings with the prefix, of any length and alphabet.
            ...fc
              .sample(
                fc.string({
                  minLength: 0,
                  maxLength: 60,
                  unit: 'grapheme-ascii',
                }),
                { numRuns: 5, seed: 42 },
              )
              .map(s => `${API_TOKEN_PREFIX}${s.replace(/\s/g, '')}`),
            // Well-formed tokens that were never issued.
            generateApiToken(),
            generateApiToken(),
            // Bob's live token with one character changed: in the prefix, the
            // random part and the checksum.
            withOneChange(secret, 2),
            withOneChange(secret, 10),
            withOneChange(secret, secret.length - 1),
            `${secret}x`,
            secret.slice(0, -1),
          ];
          for (const token of tokens) {
            await expectRefused(
              {
                route,
                as: 'headers',
                headers: { Authorization: `Bearer ${token}` },
              },
              { status: 401, secrets: [token] },
            );
          }
          await expectRefused(
            {
              route,
              as: 'headers',
              headers: {
                Authorization: `Basic ${Buffer.from('alice:x').toString(
                  'base64',
                )}`,
              },
            },
            { status: 401 },
          );
        });
      },
    );

    describe('path parameters', () => {
      const userRoutes = ROUTES.filter(r => r.path.includes('{userRef}'));
      const idRoutes = ROUTES.filter(r => r.path.includes('{id}'));
      const keyRoutes = ROUTES.filter(r => r.path.includes('{key}'));
      const token = generateApiToken();

      it.each(
        userRoutes.flatMap(route =>
          (
            [
              [`user:default/${TEN_KB}`, /userRef/],
              ['../../etc/passwd', /userRef/],
              [{ raw: '..%2F..%2Fetc%2Fpasswd' }, /userRef/],
              [{ raw: '%00' }, /userRef/],
              [{ raw: 'bob%00' }, /userRef/],
              ["' OR 1=1 --", /userRef/],
              ['user:default/bob;DROP TABLE api_tokens', /userRef/],
              ['user:default/bob\u202egpj.exe', /userRef/],
              ['user:default/b\u0000ob', /userRef/],
              ['user:default/bøb', /userRef/],
              ['user:default/ボブ', /userRef/],
              ['group:default/admins', /userRef must refer to a User/],
              ['component:default/bob', /userRef must refer to a User/],
              ['user:', /userRef/],
              [`user:default/${token}`, /userRef must name a user/],
              [{ raw: '%E0%A4%A' }, /URL encoding/],
            ] as Array<[Segment, RegExp]>
          ).map(
            ([value, message]) =>
              [routeName(route), label(value), value, message, route] as const,
          ),
        ),
      )(
        '%s refuses the userRef %s',
        async (_name, _label, value, message, route) => {
          await expectRefused(
            {
              route,
              params: { userRef: value },
              body:
                route.method === 'post'
                  ? { raw: JSON.stringify(validBody(route)) }
                  : undefined,
            },
            { status: 400, message, secrets: [token] },
          );
        },
      );

      it.each(userRoutes.map(route => [routeName(route), route] as const))(
        '%s answers 404 with an error body to a userRef that is not URL-encoded',
        async (_name, route) => {
          await expectRefused(
            {
              route,
              params: { userRef: { raw: 'user:default/bob' } },
              body:
                route.method === 'post' ? { raw: '{"name":"x"}' } : undefined,
            },
            { status: 404, message: /URL-encoded/ },
          );
        },
      );

      it.each(
        idRoutes.flatMap(route =>
          (
            [
              "' OR 1=1 --",
              '1; DROP TABLE api_tokens',
              "1' UNION SELECT digest FROM api_tokens --",
              'not-a-uuid',
              '00000000-0000-4000-8000-00000000000g',
              '00000000-0000-4000-8000-0000000000000',
              { raw: '%00' },
              '１２３',
              '\u202e00000000-0000-4000-8000-000000000000',
              TEN_KB,
              token,
            ] as Segment[]
          ).map(
            value => [routeName(route), label(value), value, route] as const,
          ),
        ),
      )(
        '%s refuses the id %s, naming it',
        async (_name, _label, value, route) => {
          await expectRefused(
            {
              route,
              params: { id: value },
              body:
                route.method === 'post'
                  ? { raw: JSON.stringify(validBody(route)) }
                  : undefined,
            },
            { status: 400, message: /\bid\b/, secrets: [token] },
          );
        },
      );

      it('refuses a secret pasted as a token id before it reaches the service', async () => {
        // A secret in a URL is in the access log (Backstage logs every
        // request's URL); the plugin's own lines and auditor events do not
        // repeat it. The spec refuses the id, so nothing is audited.
        const pasted = generateApiToken();
        const [route] = idRoutes;
        const before = stack.logs.length;
        await expectRefused(
          { route, params: { id: pasted } },
          { status: 400, message: /\bid\b/, secrets: [pasted] },
        );
        const lines = stack.logs.slice(before);
        expect(auditEvents(lines)).toEqual([]);
        for (const line of lines.filter(
          l => l.fields.plugin === 'api-tokens',
        )) {
          expect(deepText(line)).not.toContain(randomPart(pasted));
        }
      });

      it.each(
        keyRoutes.flatMap(route =>
          (
            [
              "EnableUserTokenNotification' OR '1'='1",
              'EnableUserTokenNotification; DROP TABLE api_token_settings',
              '__proto__',
              'constructor',
              'toString',
              'hasOwnProperty',
              'enableusertokennotification',
              TEN_KB,
              { raw: '%00' },
              'EnableUserTokenNotification\u202e',
            ] as Segment[]
          ).map(
            value => [routeName(route), label(value), value, route] as const,
          ),
        ),
      )(
        '%s refuses the key %s, naming it',
        async (_name, _label, value, route) => {
          await expectRefused(
            {
              route,
              params: { key: value },
              body:
                route.method === 'put'
                  ? { raw: JSON.stringify(validBody(route)) }
                  : undefined,
            },
            { status: 400, message: /\bkey\b/ },
          );
        },
      );
    });

    describe(`POST ${LEAK_REPORT_PATH} without a signature`, () => {
      const route: Route = {
        method: 'post',
        path: LEAK_REPORT_PATH,
        body: 'required',
      };

      it.each([
        [
          'a report',
          JSON.stringify([{ token: generateApiToken(), type: 'x' }]),
        ],
        ['a __proto__ key', '{"__proto__":{"polluted":"yes"}}'],
        ['an object', '{"token":"x"}'],
        ['invalid JSON', '[{"token":'],
        ['garbage', 'garbage'],
        ['deep nesting', `${'['.repeat(30_000)}${']'.repeat(30_000)}`],
      ])('answers 401 to %s, repeating nothing', async (_case, raw) => {
        await expectRefused(
          { route, as: 'headers', body: { raw } },
          {
            status: 401,
            message: /must be signed/,
            secrets: raw.match(/bsat_\w+/g) ?? [],
          },
        );
      });

      it('answers 413 to a body over 1 MB before reading its signature', async () => {
        await expectRefused(
          {
            route,
            as: 'headers',
            body: { raw: JSON.stringify([{ token: 'a'.repeat(1024 * 1024) }]) },
          },
          { status: 413, message: /at most 1 MB|1024 kB/ },
        );
      });
    });

    describe('token names', () => {
      const nameRoutes = ROUTES.filter(
        r =>
          r.method === 'post' && /^\/v1\/.*(\/tokens$|temporary$)/.test(r.path),
      );

      it.each(
        nameRoutes.flatMap(route =>
          (
            [
              '',
              '   ',
              '\u0000',
              'ring\u0007',
              'two\nlines',
              'tab\there',
              'evil\u202etxt.exe',
              'a\u2066b\u2069',
              '\u200f',
              '\u200b',
              'deploy\u2028Bcc: attacker@example.com',
              'deploy\u2029Bcc: attacker@example.com',
              'deploy\u{e0049}\u{e0047}\u{e004e}',
              `Z${'\u0301'.repeat(10)}algo`,
              'pay\u200dpal',
              '\u3164',
              TEN_KB,
              5,
              0,
              true,
              null,
              [],
              ['CI'],
              {},
              { $gt: '' },
              { toString: 'x' },
            ] as unknown[]
          ).map(name => [routeName(route), label(name), name, route] as const),
        ),
      )(
        '%s refuses the name %s, naming it',
        async (_name, _label, name, route) => {
          await expectRefused(
            { route, body: { raw: JSON.stringify({ name }) } },
            { status: 400, message: /\bname\b/ },
          );
        },
      );
    });

    describe('expiresAt', () => {
      const route = ROUTES.find(
        r => r.method === 'post' && r.path === '/v1/users/{userRef}/tokens',
      )!;

      it.each(
        (
          [
            12345,
            0,
            -1,
            1e308,
            true,
            null,
            [],
            ['2027-01-01'],
            {},
            { $date: '2027-01-01' },
            '',
            ' ',
            'tomorrow',
            'now',
            "' OR 1=1 --",
            '2027-01-01; DROP TABLE api_tokens',
            '1970-01-01T00:00:00Z',
            '-271821-04-20T00:00:00Z',
            '0000-01-01',
            '+275760-09-13T00:00:00Z',
            '9999-12-31',
            '2027-02-30',
            '2026-13-01',
            '2027-01-01T25:00:00Z',
            '2027-01-01T00:00:00+25:00',
            'P1Y',
            '2027-01-01\u0000',
            `2027-01-01${TEN_KB}`,
            TEN_KB,
          ] as unknown[]
        ).map(value => [label(value), value]),
      )('refuses %s, naming expiresAt', async (_label, expiresAt) => {
        await expectRefused(
          { route, body: { raw: JSON.stringify({ name: 'x', expiresAt }) } },
          { status: 400, message: /expiresAt/ },
        );
      });
    });

    describe('settings', () => {
      const route = ROUTES.find(r => r.method === 'put')!;
      const expectSettingRefused = (
        key: string,
        body: unknown,
        message: RegExp,
      ) =>
        expectRefused(
          { route, params: { key }, body: { raw: JSON.stringify(body) } },
          { status: 400, message },
        );

      it.each(
        (
          [
            5,
            true,
            null,
            [],
            ['15'],
            {},
            '',
            '0',
            '366',
            '15; DROP TABLE api_token_settings',
            "15' OR '1'='1",
            '15\u0000',
            '\u202e15',
            '1e2',
            TEN_KB,
          ] as unknown[]
        ).map(value => [label(value), value]),
      )('refuses the days %s, naming the value', async (_label, value) => {
        await expectSettingRefused(
          'EnableUserTokenNotification',
          { type: 'app-config', value },
          /value|EnableUserTokenNotification/,
        );
      });

      it.each(
        [
          'not-an-email',
          'a@example.com;;b@example.com',
          "a@example.com' OR '1'='1",
          'a@example.com\r\nBcc: evil@example.com',
          'a@example.com%0d%0aBcc:evil@example.com',
          'a\u0000@example.com',
          'a@exa\u202emple.com',
          '<a@example.com>',
          `${TEN_KB}@example.com`,
        ].map(value => [label(value), value]),
      )('refuses the addresses %s, naming the key', async (_label, value) => {
        await expectSettingRefused(
          'UserTokenExpirationNotificationEmails',
          { type: 'app-config', value },
          /UserTokenExpirationNotificationEmails/,
        );
      });

      it.each([
        [{ value: '15' }, /type/],
        [{ type: 'other', value: '15' }, /type/],
        [{ type: 5, value: '15' }, /type/],
        [{ type: null, value: '15' }, /type/],
        [{ type: ['app-config'], value: '15' }, /type/],
        [{ type: 'app-config' }, /value/],
        [{ type: 'app-config', value: '15', key: 'other' }, /"key"/],
      ])('refuses the body %j, naming the field', async (body, message) => {
        await expectSettingRefused(
          'EnableUserTokenNotification',
          body,
          message,
        );
      });
    });

    describe('query parameters', () => {
      const find = (path: string) =>
        ROUTES.find(r => r.method === 'get' && r.path === path)!;

      it.each([
        ['/v1/tokens', 'limit=-1', /limit/],
        ['/v1/tokens', 'limit=0', /limit/],
        ['/v1/tokens', 'limit=1001', /limit/],
        ['/v1/tokens', 'limit=abc', /limit/],
        ['/v1/tokens', 'limit=1.5', /limit/],
        ['/v1/tokens', 'limit=1e309', /limit/],
        ['/v1/tokens', 'limit=1&limit=2', /limit/],
        ['/v1/tokens', 'limit[]=1', /limit/],
        ['/v1/tokens', `cursor=${encodeURIComponent("' OR 1=1 --")}`, /cursor/],
        ['/v1/tokens', `cursor=${TEN_KB}`, /cursor/],
        ['/v1/tokens', 'cursor=%00', /cursor/],
        ['/v1/tokens', 'foo=1', /foo/],
        ['/v1/users/{userRef}/tokens', 'limit=abc', /limit/],
        [
          '/v1/users/{userRef}/tokens',
          `cursor=${encodeURIComponent('{"a":1}')}`,
          /cursor/,
        ],
        ['/v1/faults', 'status=weird', /status/],
        [
          '/v1/faults',
          `status=${encodeURIComponent("open' OR 1=1 --")}`,
          /status/,
        ],
        [
          '/v1/faults',
          `ownerRef=${encodeURIComponent('group:default/admins')}`,
          /ownerRef/,
        ],
        ['/v1/faults', `ownerRef=${TEN_KB}`, /ownerRef/],
        ['/v1/faults', 'limit=100000', /limit/],
      ])(
        'GET %s?%s is refused, naming the parameter',
        async (path, query, message) => {
          await expectRefused(
            { route: find(path), query },
            { status: 400, message },
          );
        },
      );
    });

    it('ignores __proto__ in a query string, polluting nothing', async () => {
      for (const query of [
        '__proto__[polluted]=yes',
        'constructor[prototype][polluted]=yes',
      ]) {
        const res = await request(stack.url)
          .get(`${BASE}/v1/tokens?${query}`)
          .set('Authorization', `Bearer ${adminToken}`)
          .timeout(TIME_BOUND_MS);
        expect([200, 400]).toContain(res.status);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
    });

    describe('/internal/verify', () => {
      const route = ROUTES.find(r => r.path === '/internal/verify')!;

      it.each([
        [{}, /token/],
        [{ token: 5 }, /token/],
        [{ token: null }, /token/],
        [{ token: ['bsat_x'] }, /token/],
        [{ token: { $ne: '' } }, /token/],
        [{ token: 'x', extra: 1 }, /"extra"/],
      ])('answers 400 to %j, naming the field', async (body, message) => {
        await expectRefused(
          { route, body: { raw: JSON.stringify(body) } },
          { status: 400, message },
        );
      });

      it('answers 401 to random and changed tokens, without repeating them', async () => {
        const secret = bobsToken.secret;
        for (const token of [
          generateApiToken(),
          'bsat_',
          `${API_TOKEN_PREFIX}${"' OR 1=1 --"}`,
          withOneChange(secret, 7),
          withOneChange(secret, secret.length - 2),
          secret.toUpperCase(),
          ` ${secret}`,
        ]) {
          await expectRefused(
            { route, body: { raw: JSON.stringify({ token }) } },
            { status: 401, message: /Invalid API token/, secrets: [token] },
          );
        }
      });

      it('answers 413 to a token of 10 KB', async () => {
        await expectRefused(
          { route, body: { raw: JSON.stringify({ token: TEN_KB }) } },
          { status: 413, message: /at most 1 kB/ },
        );
      });

      it('answers 403 to plugins other than auth', async () => {
        const whoami = await stack.pluginToken('whoami');
        await expectRefused(
          {
            route,
            as: 'headers',
            headers: { Authorization: `Bearer ${whoami}` },
            body: { raw: JSON.stringify({ token: bobsToken.secret }) },
          },
          { status: 403, message: /auth plugin/ },
        );
      });
    });

    describe('methods the spec does not have', () => {
      it.each([
        ['patch', '/v1/tokens'],
        ['put', '/v1/tokens'],
        ['delete', '/v1/settings'],
        ['get', '/internal/verify'],
        ['get', '/v1/unknown'],
      ] as const)('%s %s is refused', async (method, path) => {
        const res = await request(stack.url)
          [method](`${BASE}${path}`)
          .set('Authorization', `Bearer ${adminToken}`)
          .timeout(TIME_BOUND_MS);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.error.message).toEqual(expect.any(String));
      });
    });

    describe('after all of it', () => {
      it('left the database as it was: nothing half-created, nothing changed', async () => {
        expect(await databaseDump(knex)).toBe(databaseBefore);
      });

      it('polluted no prototype', () => {
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(
          prototypeBefore,
        );
        const probe: Record<string, unknown> = {};
        expect(probe.polluted).toBeUndefined();
        expect(probe.isAdmin).toBeUndefined();
        expect(Object.prototype.toString.call([])).toBe('[object Array]');
      });

      it('logged no secret and no 5xx', () => {
        const text = JSON.stringify(stack.logs, (_key, value) =>
          value instanceof Error
            ? { message: value.message, stack: value.stack }
            : value,
        );
        expect(text).not.toContain(randomPart(bobsToken.secret));
        const serverErrors = stack.logs.filter(
          line => line.level === 'error' || /" 5\d\d /.test(line.message),
        );
        expect(serverErrors).toEqual([]);
      });
    });
  },
);
