type RevocationListener = (tokenId: string) => void;

// Every token-handler decorator of this process, across backends (tests run
// several in one process).
const listeners = new Set<RevocationListener>();

/**
 * Tells the token handlers of this process that an API token was revoked,
 * so that none of them uses what it cached for it any more: the token, and
 * every Backstage token exchanged for it, are refused from the next request
 * on. The api-tokens backend calls it for every revocation. Other backend
 * instances learn of the revocation when their cache entries expire
 * (`apiTokens.cache.ttl`).
 *
 * @public
 */
export function announceApiTokenRevoked(tokenId: string): void {
  for (const listener of listeners) {
    listener(tokenId);
  }
}

/** Listens to {@link announceApiTokenRevoked}; returns how to stop. */
export function onApiTokenRevoked(listener: RevocationListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
