import { readApiTokenCredential } from './isApiTokenRequest';
import { ApiTokenMiddleware } from './types';

/**
 * Backstage's cookie endpoint of every plugin, however the path is spelled:
 * Express matches routes case-insensitively and with a trailing slash.
 */
const COOKIE_PATH = /\/\.backstage\/auth\/v1\/cookie\/?$/i;

function pathOf(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Refuses API tokens, and Backstage tokens exchanged for one, on the cookie
 * endpoint that every plugin serves (`/.backstage/auth/v1/cookie`). The
 * cookie holds a limited user token that lives as long as the token it was
 * made from (an hour for an exchanged one) and no longer names the API token,
 * so nothing could stop it when the API token is revoked or expires. API
 * tokens are for scripts, which need no cookie.
 */
export function createApiTokenCookieGuard(): ApiTokenMiddleware {
  return (req, res, next) => {
    if (
      !COOKIE_PATH.test(pathOf(req.url)) ||
      readApiTokenCredential(req) === undefined
    ) {
      next();
      return;
    }
    res.statusCode = 403;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message:
            'API tokens cannot be used to get a session cookie; sign in to the portal instead',
        },
        response: { statusCode: 403 },
      }),
    );
  };
}
