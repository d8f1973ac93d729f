type RevocationListener = (tokenId: string) => void;

// Every token-handler decorator of this process, across backends (tests run
// several in one process).
const listeners = new Set<RevocationListener>();

/**
 * Tells the token handlers of this process that an API token was revoked,
 * so that none of them uses what it cached for it any more: the token, and
 * every Backstage token exchanged for it, are refused from the next request
 * on. Other backend instances learn of it through the shared cache when the
 * revocation goes through {@link ApiTokenRevocationSignal.announce}, as the
 * api-tokens backend's do, and otherwise when their cache entries expire
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
