import { AddressSet, type AppConfig } from '@cityops/core';

/**
 * Express's `trust proxy`: an `X-Forwarded-For` hop is believed only when the address that handed
 * it on is a configured proxy (`TRUSTED_PROXIES`). With none configured the client's address is
 * the socket's, so nobody, not even a process on loopback, can pick their own by sending the
 * header (a rotated header would otherwise start a fresh sign-in lockout for every guess).
 */
export function trustProxy(config: AppConfig): false | ((address: string) => boolean) {
  if (!config.trustedProxies.length) return false;
  const proxies = new AddressSet(config.trustedProxies);
  return (address) => proxies.has(address);
}
