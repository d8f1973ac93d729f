// The same pattern as Backstage's HTTP auth service, so that we look at
// exactly the requests it authenticates with the token.
const BEARER_TOKEN = /^Bearer[ ]+(\S+)$/i;

/** The bearer token of an `Authorization` header, if it has one. */
export function readBearerToken(
  authorization: string | undefined,
): string | undefined {
  return authorization === undefined
    ? undefined
    : BEARER_TOKEN.exec(authorization)?.[1];
}
