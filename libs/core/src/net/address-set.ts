import { BlockList, isIP } from 'node:net';

export type IpFamily = 'ipv4' | 'ipv6';

/** An address as a check must see it: no zone id, and an IPv4 address in IPv6 clothing unwrapped. */
export function canonicalAddress(address: string): { address: string; family: IpFamily } | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return { address: bare, family: 'ipv4' };
  if (version !== 6) return null;
  const embedded = embeddedIpv4(bare);
  return embedded ? { address: embedded, family: 'ipv4' } : { address: bare.toLowerCase(), family: 'ipv6' };
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` and a dotted IPv4 tail expanded). */
export function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const dottedQuad = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/**
 * The IPv4 address an IPv6 address stands for, where it is only a wrapper for one: IPv4-mapped
 * (`::ffff:127.0.0.1`), IPv4-compatible (`::127.0.0.1`, deprecated), NAT64 (`64:ff9b::/96`) and
 * 6to4 (`2002::/16`). A check of the IPv6 form alone would let `::ffff:10.0.0.1` through.
 */
export function embeddedIpv4(address: string): string | null {
  if (isIP(address) !== 6) return null;
  const g = ipv6Groups(address.replace(/%.*$/, ''));
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return dottedQuad(g[6], g[7]);
  if (zeros(0, 6) && (g[6] !== 0 || g[7] > 1)) return dottedQuad(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return dottedQuad(g[6], g[7]);
  if (g[0] === 0x2002) return dottedQuad(g[1], g[2]);
  return null;
}

/** `10.0.0.0/8`, `::1`, `192.168.1.7`: a single address or a CIDR block; null when it is neither. */
export function parseAddressRule(text: string): { network: string; prefix: number; family: IpFamily } | null {
  const [addressPart, prefixPart, ...rest] = text.trim().split('/');
  if (rest.length) return null;
  const version = isIP(addressPart);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixPart !== undefined && !/^\d{1,3}$/.test(prefixPart)) return null;
  const prefix = prefixPart === undefined ? max : Number(prefixPart);
  if (prefix > max) return null;
  return { network: addressPart, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * A set of addresses and CIDR blocks from configuration (`TRUSTED_PROXIES`, `METRICS_ALLOW`,
 * `CONNECTOR_ALLOW_HOSTS`). Membership is decided on the canonical form, so `::ffff:127.0.0.1`
 * is in a set that holds `127.0.0.0/8`.
 */
export class AddressSet {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(rules: readonly string[]) {
    let size = 0;
    for (const text of rules) {
      const rule = parseAddressRule(text);
      if (!rule) throw new Error(`not an address or CIDR block: ${text}`);
      // Rules are canonicalised too: `::ffff:10.0.0.0/104` means 10.0.0.0/8.
      const embedded = rule.family === 'ipv6' && rule.prefix >= 96 ? embeddedIpv4(rule.network) : null;
      if (embedded) this.list.addSubnet(embedded, rule.prefix - 96, 'ipv4');
      else this.list.addSubnet(rule.network, rule.prefix, rule.family);
      size++;
    }
    this.size = size;
  }

  has(address: string): boolean {
    const canonical = canonicalAddress(address);
    return canonical !== null && this.list.check(canonical.address, canonical.family);
  }
}
