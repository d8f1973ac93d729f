/** A new API token as the create route answers it. */
export interface CreatedApiToken {
  id: string;
  secret: string;
}

/**
 * The few portal calls the bench makes, over plain `fetch`: the development
 * sign-in and the admin routes that issue and revoke permanent tokens.
 */
export class PortalClient {
  constructor(readonly baseUrl: string) {}

  /** A Backstage user token for an example user, from the dev sign-in. */
  async signIn(user: string): Promise<string> {
    const response = await fetch(`${this.baseUrl}/api/auth/dev/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest', 'x-dev-user': user },
    });
    if (!response.ok) {
      throw new Error(
        `Sign-in as ${user} failed: ${
          response.status
        } ${await response.text()}`,
      );
    }
    const body = (await response.json()) as {
      backstageIdentity: { token: string };
    };
    return body.backstageIdentity.token;
  }

  /** Has an admin issue a permanent token for a user. */
  async createToken(options: {
    adminToken: string;
    userRef: string;
    name: string;
    scope?: { plugins?: string[]; permissions?: string[]; readOnly?: boolean };
  }): Promise<CreatedApiToken> {
    const response = await fetch(
      `${this.baseUrl}/api/api-tokens/v1/users/${encodeURIComponent(
        options.userRef,
      )}/tokens`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name: options.name, scope: options.scope }),
      },
    );
    if (response.status !== 201) {
      throw new Error(
        `Creating a token failed: ${response.status} ${await response.text()}`,
      );
    }
    const body = (await response.json()) as {
      token: { id: string };
      secret: string;
    };
    return { id: body.token.id, secret: body.secret };
  }

  /** Has an admin revoke a token. */
  async revokeToken(options: {
    adminToken: string;
    tokenId: string;
  }): Promise<void> {
    const response = await fetch(
      `${this.baseUrl}/api/api-tokens/v1/tokens/${encodeURIComponent(
        options.tokenId,
      )}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${options.adminToken}` },
      },
    );
    if (response.status !== 204) {
      throw new Error(
        `Revoking a token failed: ${response.status} ${await response.text()}`,
      );
    }
  }
}
