import {
  API_TOKEN_EXPIRATION_HEADER,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import express from 'express';
import request from 'supertest';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { recordApiTokenVerified } from './apiTokenRequestContext';
import { createApiTokenExpirationMiddleware } from './createApiTokenExpirationMiddleware';

const HEADER = API_TOKEN_EXPIRATION_HEADER.toLowerCase();
const EXPIRES_AT = '2027-03-01T12:00:00.000Z';

/**
 * An app whose routes play the part of the token-handler decorator: they
 * record the expiry of a token after an asynchronous step, as verifying it
 * would.
 */
function createApp() {
  const app = express();
  app.use(createApiTokenExpirationMiddleware());
  app.get('/json', async (req, res) => {
    await nextTurn();
    recordApiTokenVerified(String(req.query.token), EXPIRES_AT);
    res.json({ ok: true });
  });
  app.get('/raw', async (req, res) => {
    await nextTurn();
    recordApiTokenVerified(String(req.query.token), EXPIRES_AT);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  app.get('/preset', async (req, res) => {
    recordApiTokenVerified(String(req.query.token), EXPIRES_AT);
    res.setHeader(API_TOKEN_EXPIRATION_HEADER, 'set by the route');
    res.end();
  });
  app.get('/unverified', (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

describe('createApiTokenExpirationMiddleware', () => {
  const token = generateApiToken();

  it.each(['/json', '/raw'])(
    'sets the header on a response to %s once the token is verified',
    async path => {
      const response = await request(createApp())
        .get(path)
        .query({ token })
        .set('authorization', `Bearer ${token}`);

      expect(response.status).toBe(200);
      expect(response.headers[HEADER]).toBe(EXPIRES_AT);
    },
  );

  it('reads the bearer token like the HTTP auth service does', async () => {
    const response = await request(createApp())
      .get('/json')
      .query({ token })
      .set('authorization', `bearer   ${token}`);

    expect(response.headers[HEADER]).toBe(EXPIRES_AT);
  });

  it('sets no header when the token was not verified', async () => {
    const response = await request(createApp())
      .get('/unverified')
      .set('authorization', `Bearer ${token}`);

    expect(response.headers).not.toHaveProperty(HEADER);
  });

  it('sets no header for a token other than the request’s', async () => {
    const response = await request(createApp())
      .get('/json')
      .query({ token: generateApiToken() })
      .set('authorization', `Bearer ${token}`);

    expect(response.headers).not.toHaveProperty(HEADER);
  });

  it('ignores requests without an API token', async () => {
    for (const authorization of [undefined, 'Bearer eyJ.e30.sig']) {
      const req = request(createApp()).get('/json').query({ token });
      const response = await (authorization
        ? req.set('authorization', authorization)
        : req);
      expect(response.headers).not.toHaveProperty(HEADER);
    }
  });

  it('leaves a header the route set itself', async () => {
    const response = await request(createApp())
      .get('/preset')
      .query({ token })
      .set('authorization', `Bearer ${token}`);

    expect(response.headers[HEADER]).toBe('set by the route');
  });
});
