import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from 'pg';
import type { FeedDefinition, ProblemDetails } from '@cityops/contracts';
import { FeedCatalogService, PullConnectorService } from '@cityops/feeds';
import { feedToken, kioskLogin, login, startStack, type TestStack } from '../support/stack';

const MASK = '********';
const SECRETS = ['query-secret', 'pw-secret', 'header-secret', 'new-secret'];

/** A department's API that wants a key in the query, basic authentication and a header. */
class Source {
  readonly requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  private server: Server | undefined;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ v: 42 }]));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  last(): { url: string; headers: IncomingHttpHeaders } {
    const request = this.requests.at(-1);
    if (!request) throw new Error('the source was not asked');
    return request;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('pull connector secrets: write-only in every answer, sealed at rest, whole for the worker', () => {
  const source = new Source();
  let stack: TestStack;
  let db: Client;
  let admin: string;
  let kiosk: string;

  const connector = (over: Record<string, unknown> = {}) => ({
    url: `http://robot:pw-secret@${source.base}/air?token=query-secret&city=gz`,
    format: 'json',
    intervalSeconds: 3600,
    metric: 'level',
    mapping: { value: 'v' },
    headers: { 'x-api-key': 'header-secret' },
    ...over,
  });
  const send = (method: 'POST' | 'PUT', path: string, body: unknown) =>
    fetch(`${stack.url}/api/feeds${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify(body),
    });
  const read = async (key: string, token: string) =>
    (await (await fetch(`${stack.url}/api/feeds/${key}`, { headers: { authorization: `Bearer ${token}` } })).json()) as FeedDefinition;
  const stored = async (key: string) =>
    (
      await db.query<{ connector: string; sealed: string | null }>(
        `SELECT connector::text, connector_secrets AS sealed FROM feed WHERE key = $1`,
        [key],
      )
    ).rows[0];
  const pullNow = (key: string) => stack.api!.get(PullConnectorService).pull(key);
  const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

  beforeAll(async () => {
    await source.start();
    // The source runs on this machine, an address connectors may reach only when allowed.
    stack = await startStack({ workers: 0, env: { CONNECTOR_ALLOW_HOSTS: '127.0.0.1' } });
    db = stack.db;
    admin = await login(stack.url);
    kiosk = await kioskLogin(stack.url);
    const res = await send('POST', '', { key: 'secret-air', name: 'secret air', metrics: [{ key: 'level' }], connector: connector() });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
    await source.stop();
  });

  it('shows the connector with its credentials, query values and header values masked, to admins too; walls and feed keys read no feeds', async () => {
    const shown = {
      url: `http://${MASK}:${MASK}@${source.base}/air?token=${MASK}&city=${MASK}`,
      headers: { 'x-api-key': MASK },
    };
    expect((await read('secret-air', admin)).connector).toMatchObject(shown);
    const list = await (await fetch(`${stack.url}/api/feeds`, { headers: { authorization: `Bearer ${admin}` } })).text();
    for (const secret of SECRETS) expect(list).not.toContain(secret);
    for (const token of [kiosk, feedToken]) {
      for (const path of ['/api/feeds', '/api/feeds/secret-air']) {
        const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
        expect([path, res.status]).toEqual([path, 403]);
      }
    }
  });

  it('keeps the secrets only sealed in the database', async () => {
    const row = await stored('secret-air');
    expect(row.sealed).toMatch(/^v1\./);
    for (const secret of SECRETS) {
      expect(row.connector).not.toContain(secret);
      expect(row.sealed).not.toContain(secret);
    }
  });

  it('pulls with the secrets whole: the query key, basic authentication from the URL, the header', async () => {
    expect(await pullNow('secret-air')).toMatchObject({ status: 'ok', accepted: 1 });
    const { url, headers } = source.last();
    expect(url).toBe('/air?token=query-secret&city=gz');
    expect(headers.authorization).toBe(basic('robot:pw-secret'));
    expect(headers['x-api-key']).toBe('header-secret');
  });

  it('keeps a secret that comes back masked, and takes one sent anew', async () => {
    // An editor sends back what it was shown, with another interval: the secrets stay.
    const shown = await read('secret-air', admin);
    const { key: _key, ...definition } = shown;
    const kept = await send('PUT', '/secret-air', { ...definition, connector: { ...shown.connector, intervalSeconds: 1800 } });
    expect(kept.status).toBe(200);
    expect(((await kept.json()) as FeedDefinition).connector?.headers).toEqual({ 'x-api-key': MASK });
    await pullNow('secret-air');
    expect(source.last().headers['x-api-key']).toBe('header-secret');
    expect(source.last().url).toBe('/air?token=query-secret&city=gz');

    // A new header value replaces the stored one; the masked URL still stands for the stored URL.
    const changed = await send('PUT', '/secret-air', {
      ...definition,
      connector: { ...shown.connector, headers: { 'x-api-key': 'new-secret' } },
    });
    expect(changed.status).toBe(200);
    await pullNow('secret-air');
    expect(source.last().headers['x-api-key']).toBe('new-secret');
    expect(source.last().headers.authorization).toBe(basic('robot:pw-secret'));
  });

  it('refuses a mask that stands for nothing stored, naming the field', async () => {
    const shown = await read('secret-air', admin);
    const { key: _key, ...definition } = shown;
    const other = await send('PUT', '/secret-air', { ...definition, connector: { ...shown.connector, headers: { 'x-other': MASK } } });
    expect(other.status).toBe(400);
    expect(((await other.json()) as ProblemDetails).errors?.map((e) => e.path)).toEqual(['connector.headers.x-other']);

    const fresh = await send('POST', '', { key: 'masked-new', name: 'masked', metrics: [{ key: 'level' }], connector: shown.connector });
    expect(fresh.status).toBe(400);
    expect(((await fresh.json()) as ProblemDetails).errors?.map((e) => e.path)).toEqual(['connector.url', 'connector.headers.x-api-key']);
    // The feed that was refused does not exist.
    expect((await fetch(`${stack.url}/api/feeds/masked-new`, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(404);
  });

  it('seals a connector stored in the clear before secrets were sealed, and still pulls with it', async () => {
    const legacy = connector({ url: `http://${source.base}/air?token=query-secret`, timeoutSeconds: 20 });
    await db.query(`INSERT INTO feed (key, name, metrics, connector) VALUES ('legacy-air', 'legacy', '[{"key":"level"}]', $1::jsonb)`, [
      JSON.stringify(legacy),
    ]);
    // Masked in answers even before it is sealed.
    expect((await read('legacy-air', admin)).connector).toMatchObject({
      url: `http://${source.base}/air?token=${MASK}`,
      headers: { 'x-api-key': MASK },
    });

    expect(await stack.api!.get(FeedCatalogService).sealStoredSecrets()).toEqual(['legacy-air']);
    const row = await stored('legacy-air');
    expect(row.sealed).toMatch(/^v1\./);
    expect(row.connector).not.toContain('query-secret');
    expect(row.connector).not.toContain('header-secret');
    // Sealing twice does nothing more.
    expect(await stack.api!.get(FeedCatalogService).sealStoredSecrets()).toEqual([]);

    expect(await pullNow('legacy-air')).toMatchObject({ status: 'ok' });
    expect(source.last()).toMatchObject({ url: '/air?token=query-secret', headers: { 'x-api-key': 'header-secret' } });
  });
});
