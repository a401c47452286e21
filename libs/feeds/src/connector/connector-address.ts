import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Inject, Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { Agent, buildConnector } from 'undici';
import { AddressSet, APP_CONFIG, type AppConfig, canonicalAddress } from '@cityops/core';

/**
 * Where a pull connector may not connect unless `CONNECTOR_ALLOW_HOSTS` says so: this machine, the
 * networks behind it and addresses that are no host at all. A connector URL comes from an admin
 * account, but the worker runs inside the network: without this, a feed definition could read a
 * cloud metadata service (169.254.169.254), a database's HTTP port or an internal admin page.
 */
const FORBIDDEN: readonly (readonly [string, string])[] = [
  ['0.0.0.0/8', 'an address of "this network" (0.0.0.0 reaches this machine)'],
  ['10.0.0.0/8', 'a private address'],
  ['100.64.0.0/10', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['172.16.0.0/12', 'a private address'],
  ['192.0.0.0/24', 'a reserved (IETF protocol) address'],
  ['192.0.2.0/24', 'a documentation address'],
  ['192.168.0.0/16', 'a private address'],
  ['198.18.0.0/15', 'a benchmarking address'],
  ['198.51.100.0/24', 'a documentation address'],
  ['203.0.113.0/24', 'a documentation address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved address'],
  ['::/128', 'the unspecified address'],
  ['::1/128', 'a loopback address'],
  ['100::/64', 'a discard address'],
  ['2001:db8::/32', 'a documentation address'],
  ['fc00::/7', 'a private (unique local) address'],
  ['fe80::/10', 'a link-local address'],
  ['fec0::/10', 'a site-local address'],
  ['ff00::/8', 'a multicast address'],
];
const FORBIDDEN_SETS = FORBIDDEN.map(([rule, why]) => ({ set: new AddressSet([rule]), why }));

/** What kind of forbidden address this is, or null for an ordinary public address. */
export function forbiddenKind(address: string): string | null {
  if (!canonicalAddress(address)) return 'not an IP address';
  return FORBIDDEN_SETS.find(({ set }) => set.has(address))?.why ?? null;
}

/** A name's addresses, as `dns.lookup(name, { all: true })` answers them (injectable for tests). */
export type LookupAll = (hostname: string) => Promise<{ address: string }[]>;

const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Provide a LookupAll under this token to answer DNS in tests; unset, the system resolver answers. */
export const CONNECTOR_LOOKUP = Symbol('CONNECTOR_LOOKUP');

/** The worker would connect somewhere it may not. The message says where, why, and how to allow it. */
export class ConnectorAddressError extends Error {
  override readonly name = 'ConnectorAddressError';
}

/** How long the API waits for DNS when a connector is defined; the worker checks again before every connection. */
const DEFINITION_LOOKUP_MS = 2000;

/**
 * Which addresses pull connectors may reach, and the HTTP dispatcher that holds them to it.
 *
 * The check is on the addresses a name resolves to, not on the name: every address must pass
 * (an attacker's DNS may answer a public and a private one), and the connection then goes to the
 * address that was checked, so a second resolution cannot swap it (DNS rebinding). Every
 * connection, redirects included, goes through the same connect step.
 */
@Injectable()
export class ConnectorAddressPolicy implements OnModuleDestroy {
  private readonly allowedNames: Set<string>;
  private readonly allowedAddresses: AddressSet;
  private readonly lookup: LookupAll;
  private agent: Agent | undefined;

  constructor(
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'connectorAllowHosts'>,
    @Optional() @Inject(CONNECTOR_LOOKUP) lookup?: LookupAll,
  ) {
    this.lookup = lookup ?? systemLookup;
    const hosts = config.connectorAllowHosts.map((h) => h.toLowerCase());
    const isRule = (h: string) => isIP(h.split('/')[0]) !== 0;
    this.allowedNames = new Set(hosts.filter((h) => !isRule(h)));
    this.allowedAddresses = new AddressSet(hosts.filter(isRule));
  }

  /** Why `address` (reached as `hostname`) is refused, or null when it may be reached. */
  refusal(hostname: string, address: string): string | null {
    const kind = forbiddenKind(address);
    if (!kind || this.allowedAddresses.has(address)) return null;
    const shown = canonicalAddress(address)?.address ?? address;
    const what = bare(hostname) === shown ? shown : `${hostname} resolves to ${shown}, which`;
    return `${what} is ${kind}; pull connectors and webhooks may reach it only when CONNECTOR_ALLOW_HOSTS lists it`;
  }

  /**
   * The address to connect to for `hostname`: every address it resolves to must be allowed (or
   * the name itself listed). Throws ConnectorAddressError otherwise.
   */
  async resolve(hostname: string): Promise<string> {
    const name = bare(hostname);
    const addresses = (await this.lookup(name)).map((a) => a.address);
    // Not a refusal: the name does not lead anywhere (dns.lookup itself throws ENOTFOUND for that).
    if (!addresses.length) throw Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' });
    if (!this.allowedNames.has(name.toLowerCase())) {
      for (const address of addresses) {
        const refusal = this.refusal(name, address);
        if (refusal) throw new ConnectorAddressError(refusal);
      }
    }
    return addresses[0];
  }

  /**
   * For the API, when a connector is defined: why its URL would be refused, or null. A name that
   * does not resolve here (yet) is let through: the worker checks before it connects anyway.
   */
  async urlRefusal(url: string): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const tooSlow = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), DEFINITION_LOOKUP_MS)));
    try {
      return await Promise.race([
        this.resolve(new URL(url).hostname).then(
          () => null,
          (error: unknown) => (error instanceof ConnectorAddressError ? error.message : null),
        ),
        tooSlow,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** An undici dispatcher whose every connection goes to an address `resolve` checked. */
  dispatcher(): Agent {
    this.agent ??= this.createAgent();
    return this.agent;
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent?.close().catch(() => undefined);
  }

  private createAgent(): Agent {
    const connect = buildConnector({});
    return new Agent({
      connect: (options, callback) => {
        this.resolve(options.hostname).then(
          // `host` keeps the name, so TLS still checks the certificate against it (SNI).
          (address) => connect({ ...options, hostname: address }, callback),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
        );
      },
    });
  }
}

/** A URL's host as DNS and the checks take it: IPv6 without its brackets. */
function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}
