import { ConnectorAddressError, ConnectorAddressPolicy, forbiddenKind, type LookupAll } from './connector-address';

describe('forbiddenKind: addresses a pull connector may not reach by default', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.200.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['0.0.0.0', 'an address of "this network" (0.0.0.0 reaches this machine)'],
    ['::', 'the unspecified address'],
    ['169.254.169.254', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.254', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['::ffff:192.168.1.1', 'a private address'],
    ['fc00::1', 'a private (unique local) address'],
    ['fd12:3456::1', 'a private (unique local) address'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['100.127.255.255', 'a shared (carrier-grade NAT) address'],
    ['64:ff9b::a9fe:a9fe', 'a link-local address'],
    ['2002:a00:1::', 'a private address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a reserved address'],
    ['ff02::1', 'a multicast address'],
    ['not-an-address', 'not an IP address'],
  ] as const)('%s is %s', (address, kind) => {
    expect(forbiddenKind(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '113.108.81.189', '172.32.0.1', '100.128.0.1', '2001:4860:4860::8888', '64:ff9b::808:808'])(
    '%s is an ordinary public address',
    (address) => {
      expect(forbiddenKind(address)).toBeNull();
    },
  );
});

describe('ConnectorAddressPolicy', () => {
  const dns: Record<string, string[]> = {
    'sensors.example.org': ['113.108.81.189'],
    'rebound.example.org': ['113.108.81.189', '10.0.0.7'],
    'metadata.example.org': ['169.254.169.254'],
    'sensors.internal': ['10.20.0.5'],
  };
  // Like dns.lookup: an address literal answers itself, an unknown name fails with ENOTFOUND.
  const lookup: LookupAll = (hostname) => {
    const found = dns[hostname] ?? (/^[\d.]+$|:/.test(hostname) ? [hostname] : undefined);
    if (!found) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(found.map((address) => ({ address })));
  };
  const policy = (allow: string[] = []) => new ConnectorAddressPolicy({ connectorAllowHosts: allow }, lookup);

  it('connects to the address it checked', async () => {
    await expect(policy().resolve('sensors.example.org')).resolves.toBe('113.108.81.189');
  });

  it('refuses a name when any of its addresses is forbidden, saying which and why', async () => {
    await expect(policy().resolve('rebound.example.org')).rejects.toThrow(
      new ConnectorAddressError(
        'rebound.example.org resolves to 10.0.0.7, which is a private address; pull connectors and webhooks may reach it only when CONNECTOR_ALLOW_HOSTS lists it',
      ),
    );
    await expect(policy().resolve('metadata.example.org')).rejects.toThrow('169.254.169.254, which is a link-local address');
  });

  it('refuses address literals, IPv6 in brackets and IPv4-mapped forms alike', async () => {
    await expect(policy().resolve('127.0.0.1')).rejects.toThrow(/^127\.0\.0\.1 is a loopback address;/);
    await expect(policy().resolve('[::1]')).rejects.toThrow(/^::1 is a loopback address;/);
    await expect(policy().resolve('[::ffff:7f00:1]')).rejects.toThrow('resolves to 127.0.0.1, which is a loopback address');
  });

  it('lets through what CONNECTOR_ALLOW_HOSTS lists: an address, a block, or a name', async () => {
    await expect(policy(['127.0.0.1']).resolve('127.0.0.1')).resolves.toBe('127.0.0.1');
    await expect(policy(['127.0.0.1']).resolve('127.0.0.2')).rejects.toThrow(ConnectorAddressError);
    await expect(policy(['10.0.0.0/8']).resolve('rebound.example.org')).resolves.toBe('113.108.81.189');
    await expect(policy(['Sensors.Internal']).resolve('sensors.internal')).resolves.toBe('10.20.0.5');
    await expect(policy(['sensors.internal']).resolve('rebound.example.org')).rejects.toThrow(ConnectorAddressError);
  });

  it('answers the API why a connector URL would be refused, and lets a name through that does not resolve yet', async () => {
    await expect(policy().urlRefusal('http://127.0.0.1:8080/items')).resolves.toMatch(/^127\.0\.0\.1 is a loopback address/);
    await expect(policy().urlRefusal('http://2130706433/items')).resolves.toMatch(/^127\.0\.0\.1 is a loopback address/);
    await expect(policy().urlRefusal('https://[fd00::5]/items')).resolves.toMatch(/^fd00::5 is a private \(unique local\) address/);
    await expect(policy().urlRefusal('https://sensors.example.org/items')).resolves.toBeNull();
    await expect(policy().urlRefusal('https://unknown.example.org/items')).resolves.toBeNull();
  });
});
