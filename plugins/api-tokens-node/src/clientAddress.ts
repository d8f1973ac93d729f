import ipaddr from 'ipaddr.js';
import { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Which hop of `X-Forwarded-For` may report the one before it. */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * What `apiTokens.failureLimit.trustProxy` may be: `false` (the default,
 * trust no proxy), a hop count, or proxy addresses and CIDRs.
 *
 * @public
 */
export type TrustProxySetting = false | number | string | string[];

const trustNone: TrustProxy = () => false;

/**
 * Compiles a trust setting the way Express compiles `trust proxy`: a number
 * of hops, or proxy addresses and CIDR ranges (also `loopback`,
 * `linklocal`, `uniquelocal`), as a list or comma-separated. `false`, 0 and
 * no value trust nobody. `true`, which trusts every hop and so the left-most
 * address a client wrote itself, is refused. Throws an error naming `key`.
 */
export function compileTrustProxy(value: unknown, key: string): TrustProxy {
  if (value === undefined || value === false) {
    return trustNone;
  }
  if (value === true) {
    throw new Error(
      `Invalid ${key}: true would trust every hop, so the client could choose its own address; give the number of proxies in front of the backend (e.g. 1) or their addresses (e.g. ['10.0.0.0/8'])`,
    );
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(
        `Invalid ${key}: a number of proxy hops must be a whole number of at least 0, got ${value}`,
      );
    }
    return (_address, hop) => hop < value;
  }
  return compileAddressList(value, key, 'a number of proxy hops, ');
}

/**
 * Compiles addresses and CIDR ranges (a list, or comma-separated) into a
 * matcher. Throws an error naming `key`.
 */
export function compileAddressList(
  value: unknown,
  key: string,
  alternatives = '',
): TrustProxy {
  const list =
    typeof value === 'string'
      ? value.split(',').map(entry => entry.trim())
      : value;
  if (
    !Array.isArray(list) ||
    !list.every(entry => typeof entry === 'string' && entry)
  ) {
    throw new Error(
      `Invalid ${key}: expected ${alternatives}a list of addresses and CIDR ranges, e.g. ['10.0.0.0/8']`,
    );
  }
  if (list.length === 0) {
    return trustNone;
  }
  try {
    return proxyaddr.compile(list);
  } catch (error) {
    throw new Error(`Invalid ${key}: ${(error as Error).message}`);
  }
}

/**
 * The client's address as Express's `trust proxy` takes it: the socket's
 * address, or, while the hop that sent the request is trusted, the
 * `X-Forwarded-For` entry before it, read from the right. Entries the client
 * wrote itself are never reached unless a trusted proxy vouches for them.
 */
export function clientAddress(
  req: IncomingMessage,
  trust: TrustProxy,
): string | undefined {
  if (req.socket.remoteAddress === undefined) {
    return undefined;
  }
  // proxy-addr reads `req.connection`, which Node keeps as an alias of
  // `req.socket`.
  return proxyaddr(req, trust);
}

/**
 * What failures are counted under: an IPv4 address (also when it came
 * IPv4-mapped), or the /64 network of an IPv6 address, since one host
 * usually holds a whole /64 and could otherwise use a fresh address for each
 * guess. Anything else, such as a proxy's non-address entry, as it is.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) {
    return address.slice(0, 100);
  }
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') {
    return parsed.toString();
  }
  const network = ipaddr.IPv6.networkAddressFromCIDR(
    `${(parsed as ipaddr.IPv6).toNormalizedString()}/64`,
  );
  return `${network.toString()}/64`;
}
