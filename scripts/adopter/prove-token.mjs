// Step 5 of check.sh: an admin issues a permanent token for alice through
// the adopter backend's API, and the token reads that backend's catalog as
// alice, the way CI would use it.
//
//   node prove-token.mjs <backend base URL>
const [baseUrl] = process.argv.slice(2);

async function call(path, { token, method = 'GET', body } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body && { 'content-type': 'application/json' }),
      'x-requested-with': 'XMLHttpRequest',
    },
    body: body && JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
  console.log(`  ok: ${message}`);
}

async function eventually(what, check) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const result = await check();
    if (result || Date.now() > deadline) {
      return result;
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

// The guest provider signs in user:development/guest; with the permission
// framework off, as in a new portal, every user may administer tokens.
const guest = await call('/api/auth/guest/refresh');
expect(guest.status === 200, `the guest signs in (${guest.status})`);
const adminToken = guest.body.backstageIdentity.token;

const alice = await eventually('alice in the catalog', async () => {
  const answer = await call(
    '/api/catalog/entities/by-name/user/default/alice',
    {
      token: adminToken,
    },
  );
  return answer.status === 200 ? answer.body : undefined;
});
expect(alice, 'the catalog has processed user:default/alice');

const created = await call(
  '/api/api-tokens/v1/users/user%3Adefault%2Falice/tokens',
  {
    token: adminToken,
    method: 'POST',
    body: { name: 'adopter CI' },
  },
);
expect(
  created.status === 201,
  `the admin issues a token for alice (${created.status})`,
);
const { secret, token } = created.body;
expect(
  /^bsat_/.test(secret) && token.ownerRef === 'user:default/alice',
  "the token is alice's bsat_ token",
);

const read = await call('/api/catalog/entities/by-name/user/default/alice', {
  token: secret,
});
expect(
  read.status === 200 && read.body.metadata.name === 'alice',
  `the token reads the catalog (${read.status})`,
);
const unknown = await call('/api/catalog/entities', {
  token: `${secret.slice(0, -6)}AAAAAA`,
});
expect(
  unknown.status === 401,
  `an altered token is refused (${unknown.status})`,
);

const revoked = await call(`/api/api-tokens/v1/tokens/${token.id}`, {
  token: adminToken,
  method: 'DELETE',
});
expect(revoked.status === 204, `the admin revokes it (${revoked.status})`);
const after = await call('/api/catalog/entities', { token: secret });
expect(after.status === 401, `the revoked token is refused (${after.status})`);
