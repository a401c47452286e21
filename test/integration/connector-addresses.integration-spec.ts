import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectorConfig, ProblemDetails } from '@cityops/contracts';
import { ConnectorAddressPolicy, type LookupAll, PullConnectorService } from '@cityops/feeds';
import { fetchSource } from '../../libs/feeds/src/connector/source-reader';
import { login, startStack, type TestStack } from '../support/stack';

/** A source on this machine that counts who reached it; `redirectTo` answers every request with a 302 there. */
class LocalSource {
  hits = 0;
  lastHeaders: IncomingHttpHeaders = {};
  redirectTo: string | undefined;
  url = '';
  private server: Server | undefined;

  async start(host = '127.0.0.1'): Promise<this> {
    this.server = createServer((req, res) => {
      this.hits++;
      this.lastHeaders = req.headers;
      if (this.redirectTo) res.writeHead(302, { location: this.redirectTo }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ level: 3 }]));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const connector = (url: string): ConnectorConfig => ({
  url,
  format: 'json',
  intervalSeconds: 3600,
  metric: 'level',
  mapping: { value: 'level' },
  timeoutSeconds: 5,
});

describe('pull connectors reach only public addresses unless CONNECTOR_ALLOW_HOSTS allows others', () => {
  let stack: TestStack;
  let admin: string;
  const source = new LocalSource();

  const defineFeed = (key: string, url: string, method: 'POST' | 'PUT' = 'POST') =>
    fetch(`${stack.url}/api/feeds${method === 'PUT' ? `/${key}` : ''}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ ...(method === 'POST' ? { key } : {}), name: key, metrics: [{ key: 'level' }], connector: connector(url) }),
    });
  /** A connector written straight into the table: it never met the API's check, the worker's must hold. */
  const insertFeed = (key: string, url: string) =>
    stack.db.query(`INSERT INTO feed (key, name, metrics, connector) VALUES ($1, $1, '[{"key":"level"}]', $2)`, [
      key,
      JSON.stringify(connector(url)),
    ]);

  beforeAll(async () => {
    await source.start();
    // No CONNECTOR_ALLOW_HOSTS: the defaults.
    stack = await startStack({ workers: 1 });
    admin = await login(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
    await source.stop();
  });

  it('refuses a loopback, link-local, private or unspecified connector URL when it is defined, saying why (400)', async () => {
    const cases: [string, RegExp][] = [
      [`${source.url}/items`, /^127\.0\.0\.1 is a loopback address; .*CONNECTOR_ALLOW_HOSTS/],
      ['http://[::1]:8080/items', /^::1 is a loopback address/],
      ['http://[::ffff:127.0.0.1]/items', /127\.0\.0\.1, which is a loopback address/],
      ['http://169.254.169.254/latest/meta-data/', /^169\.254\.169\.254 is a link-local address/],
      ['http://0.0.0.0:8080/', /^0\.0\.0\.0 is an address of "this network"/],
      ['https://10.2.3.4/items', /^10\.2\.3\.4 is a private address/],
      ['https://172.20.0.1/items', /^172\.20\.0\.1 is a private address/],
      ['https://192.168.1.20/items', /^192\.168\.1\.20 is a private address/],
      ['https://100.64.1.1/items', /carrier-grade NAT/],
      ['https://[fd00::1]/items', /unique local/],
      ['https://[fe80::1]/items', /^fe80::1 is a link-local address/],
      ['http://2130706433/items', /^127\.0\.0\.1 is a loopback address/],
    ];
    for (const [i, [url, reason]] of cases.entries()) {
      const res = await defineFeed(`ssrf-${i}`, url);
      expect([url, res.status]).toEqual([url, 400]);
      const problem = (await res.json()) as ProblemDetails;
      expect([url, problem.errors]).toEqual([url, [{ path: 'connector.url', message: expect.stringMatching(reason) as string }]]);
    }
    expect(source.hits).toBe(0);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM feed WHERE key LIKE 'ssrf-%'`)).rows[0].n).toBe(0);
  });

  it('refuses it on a replaced definition too', async () => {
    // .invalid never resolves: nothing here may reach outside this machine.
    await insertFeed('ssrf-put', 'https://sensors.invalid/items');
    const res = await defineFeed('ssrf-put', 'http://127.0.0.1:9/items', 'PUT');
    expect(res.status).toBe(400);
    expect(((await res.json()) as ProblemDetails).errors?.[0]?.path).toBe('connector.url');
  });

  it('the worker refuses to connect to a forbidden address it finds in a stored definition, and says why', async () => {
    await insertFeed('ssrf-stored', `${source.url}/items`);
    const outcome = await stack.workers[0].get(PullConnectorService).pull('ssrf-stored');
    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/^refused: 127\.0\.0\.1 is a loopback address/) });
    expect(source.hits).toBe(0);
  });

  it('allows what CONNECTOR_ALLOW_HOSTS lists, at definition and when the worker pulls', async () => {
    const allowing = await startStack({ workers: 1, env: { CONNECTOR_ALLOW_HOSTS: '127.0.0.1' } });
    try {
      const res = await fetch(`${allowing.url}/api/feeds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await login(allowing.url)}` },
        body: JSON.stringify({
          key: 'allowed-local',
          name: 'allowed',
          metrics: [{ key: 'level' }],
          connector: connector(`${source.url}/items`),
        }),
      });
      expect(res.status).toBe(201);
      const before = source.hits;
      expect(await allowing.workers[0].get(PullConnectorService).pull('allowed-local')).toMatchObject({ status: 'ok', accepted: 1 });
      expect(source.hits).toBeGreaterThan(before);
    } finally {
      await allowing.stop();
    }
  });

  it('checks every redirect: an allowed source cannot send the worker on to an address that is not', async () => {
    const hidden = await new LocalSource().start('127.0.0.2');
    const redirecting = await new LocalSource().start();
    try {
      redirecting.redirectTo = `${hidden.url}/internal`;
      const policy = new ConnectorAddressPolicy({ connectorAllowHosts: ['127.0.0.1'] });
      await expect(fetchSource(connector(`${redirecting.url}/items`), 1 << 20, policy.dispatcher())).rejects.toThrow(
        /^refused: 127\.0\.0\.2 is a loopback address/,
      );
      expect(redirecting.hits).toBe(1);
      expect(hidden.hits).toBe(0);
      await policy.onModuleDestroy();
    } finally {
      await Promise.all([hidden.stop(), redirecting.stop()]);
    }
  });

  it('connects to the address it checked, resolving each name once per connection (no second lookup to rebind)', async () => {
    const lookups: string[] = [];
    const lookup: LookupAll = (hostname) => {
      lookups.push(hostname);
      if (hostname === 'source.test') return Promise.resolve([{ address: '127.0.0.1' }]);
      if (hostname === 'split.test') return Promise.resolve([{ address: '127.0.0.1' }, { address: '10.9.8.7' }]);
      return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    };
    const policy = new ConnectorAddressPolicy({ connectorAllowHosts: ['127.0.0.1'] }, lookup);
    try {
      const port = new URL(source.url).port;
      const before = source.hits;
      const body = await fetchSource(connector(`http://source.test:${port}/items`), 1 << 20, policy.dispatcher());
      expect(JSON.parse(body)).toEqual([{ level: 3 }]);
      expect(source.hits).toBe(before + 1);
      // The request still names the host it was meant for.
      expect(source.lastHeaders.host).toBe(`source.test:${port}`);
      expect(lookups).toEqual(['source.test']);

      // One allowed address and one private one: refused before any connection.
      await expect(fetchSource(connector(`http://split.test:${port}/items`), 1 << 20, policy.dispatcher())).rejects.toThrow(
        /^refused: split\.test resolves to 10\.9\.8\.7, which is a private address/,
      );
      expect(source.hits).toBe(before + 1);
    } finally {
      await policy.onModuleDestroy();
    }
  });
});
