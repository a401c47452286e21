import { AddressSet, canonicalAddress, embeddedIpv4, parseAddressRule } from './address-set';

describe('canonicalAddress: the form a check sees', () => {
  it.each([
    ['an IPv4 address stays as it is', '10.1.2.3', { address: '10.1.2.3', family: 'ipv4' }],
    ['IPv4-mapped IPv6 is its IPv4 address', '::ffff:127.0.0.1', { address: '127.0.0.1', family: 'ipv4' }],
    ['IPv4-mapped in hex groups too', '::ffff:7f00:1', { address: '127.0.0.1', family: 'ipv4' }],
    ['brackets of a URL host are dropped', '[::1]', { address: '::1', family: 'ipv6' }],
    ['a zone id is dropped', 'fe80::1%eth0', { address: 'fe80::1', family: 'ipv6' }],
    ['NAT64 is the IPv4 address it carries', '64:ff9b::a00:1', { address: '10.0.0.1', family: 'ipv4' }],
    ['6to4 is the IPv4 address it carries', '2002:c0a8:101::1', { address: '192.168.1.1', family: 'ipv4' }],
    ['the IPv6 loopback stays IPv6', '::1', { address: '::1', family: 'ipv6' }],
    ['the unspecified address stays IPv6', '::', { address: '::', family: 'ipv6' }],
    ['a host name is not an address', 'example.org', null],
  ] as const)('%s', (_name, input, expected) => {
    expect(canonicalAddress(input)).toEqual(expected);
  });

  it('finds no IPv4 address in a plain IPv6 address', () => {
    expect(embeddedIpv4('2001:4860:4860::8888')).toBeNull();
  });
});

describe('parseAddressRule', () => {
  it.each([
    ['10.0.0.0/8', { network: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    ['192.168.1.7', { network: '192.168.1.7', prefix: 32, family: 'ipv4' }],
    ['fc00::/7', { network: 'fc00::', prefix: 7, family: 'ipv6' }],
    ['::1', { network: '::1', prefix: 128, family: 'ipv6' }],
    ['10.0.0.0/33', null],
    ['10.0.0.0/x', null],
    ['10.0.0.0/8/8', null],
    ['proxy.internal', null],
  ] as const)('%s', (input, expected) => {
    expect(parseAddressRule(input)).toEqual(expected);
  });
});

describe('AddressSet', () => {
  const set = new AddressSet(['127.0.0.1', '10.8.0.0/16', 'fd00::/8']);

  it.each([
    ['127.0.0.1', true],
    ['::ffff:127.0.0.1', true],
    ['127.0.0.2', false],
    ['10.8.200.1', true],
    ['10.9.0.1', false],
    ['fd12::5', true],
    ['fe80::1', false],
    ['not-an-address', false],
  ] as const)('%s is in it: %s', (address, expected) => {
    expect(set.has(address)).toBe(expected);
  });

  it('refuses a rule that is no address or block', () => {
    expect(() => new AddressSet(['10.0.0.0/40'])).toThrow('not an address or CIDR block: 10.0.0.0/40');
  });
});
