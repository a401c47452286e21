import { readdirSync, readFileSync } from 'node:fs';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ProblemDetails } from '@cityops/contracts';
import type { AppConfig } from '@cityops/core';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { login, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Map<string, string[]> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

/** Another API process's worth of app on the same database and Redis, with some settings changed. */
async function withApi<T>(config: AppConfig, use: (url: string) => Promise<T>): Promise<T> {
  const app: NestExpressApplication = await createApiApp(config);
  try {
    await app.listen(0, '127.0.0.1');
    return await use(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
  } finally {
    await app.close();
  }
}

const signIn = (url: string, username: string, password: string, forwardedFor?: string) =>
  fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ username, password }),
  });

const problemType = async (res: Response) => ((await res.json()) as ProblemDetails).type;

describe('the web edge: security headers, client addresses, sign-in limits, metrics and health access', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('security headers', () => {
    it('puts a same-origin Content-Security-Policy and the other security headers on API answers, which are never cached', async () => {
      for (const res of [
        await fetch(`${stack.url}/api/health`),
        await fetch(`${stack.url}/api/areas/99999999`),
        await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
      ]) {
        await res.arrayBuffer();
        const csp = directives(res.headers.get('content-security-policy'));
        expect([res.url, csp.get('default-src')]).toEqual([res.url, ["'self'"]]);
        expect(csp.get('script-src')).toEqual(["'self'"]);
        expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
        expect(csp.get('object-src')).toEqual(["'none'"]);
        expect(csp.has('upgrade-insecure-requests')).toBe(false);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('x-powered-by')).toBeNull();
      }
    });

    it('serves the web app under the same policy; its hashed assets may be cached, its page is revalidated', async () => {
      const page = await fetch(`${stack.url}/wall`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(directives(page.headers.get('content-security-policy')).get('worker-src')).toEqual(["'self'", 'blob:']);
      expect(page.headers.get('cache-control')).toBe('no-cache');

      const asset = readdirSync(join(__dirname, '../../apps/web/dist/assets')).find((f) => /^index-.*\.js$/.test(f));
      const res = await fetch(`${stack.url}/assets/${asset}`);
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/max-age=[1-9]/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    });

    it('sends the built assets compressed as the client takes them (brotli, else gzip, else as built), the same bytes unpacked', async () => {
      const dir = join(__dirname, '../../apps/web/dist/assets');
      const asset = readdirSync(dir).find((f) => /^maplibre-.*\.js$/.test(f));
      const built = readFileSync(join(dir, String(asset)));
      // node:http, not fetch: fetch asks for every encoding and unpacks without saying which it got.
      const get = (acceptEncoding: string) =>
        new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
          httpGet(`${stack.url}/assets/${asset}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          }).on('error', reject);
        });

      const br = await get('gzip, deflate, br');
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/javascript/);
      expect(br.headers.vary).toMatch(/Accept-Encoding/i);
      expect(br.headers['cache-control']).toContain('immutable');
      expect(br.body.length).toBeLessThan(built.length / 3);
      expect(brotliDecompressSync(br.body).equals(built)).toBe(true);

      const gz = await get('gzip');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(built)).toBe(true);

      const plain = await get('identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.equals(built)).toBe(true);
    });

    it('gives Swagger UI at /api/docs its own policy (inline styles), and only it', async () => {
      const docs = await fetch(`${stack.url}/api/docs`);
      expect(docs.status).toBe(200);
      await docs.arrayBuffer();
      expect(directives(docs.headers.get('content-security-policy')).get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      const app = await fetch(`${stack.url}/api/health`);
      await app.arrayBuffer();
      expect(directives(app.headers.get('content-security-policy')).get('style-src')).toEqual(["'self'"]);
    });

    it("adds the base map's origin where MapLibre needs it, and the configured frame ancestors", async () => {
      const config = {
        ...stack.config,
        basemapStyleUrl: 'https://tiles.example.org/styles/dark.json?key=k',
        frameAncestors: ['https://portal.example.org'],
      };
      await withApi(config, async (url) => {
        const res = await fetch(`${url}/wall`);
        await res.arrayBuffer();
        const csp = directives(res.headers.get('content-security-policy'));
        for (const name of ['connect-src', 'img-src', 'font-src'])
          expect([name, csp.get(name)]).toEqual([name, expect.arrayContaining(["'self'", 'https://tiles.example.org'])]);
        expect(csp.get('script-src')).toEqual(["'self'"]);
        expect(csp.get('frame-ancestors')).toEqual(['https://portal.example.org']);
        expect(res.headers.get('x-frame-options')).toBeNull();
      });
    });
  });

  describe('the client address and the sign-in lockout', () => {
    const limits = {
      signInPerUser: 0,
      signInPerAddress: 0,
      writes: 0,
      ingest: 0,
      open311PerAddress: 0,
      open311PerKey: 0,
      publicReports: 0,
      publicPhotos: 0,
    };

    it('does not believe X-Forwarded-For without TRUSTED_PROXIES: rotating it from loopback does not lift the lockout', async () => {
      for (let i = 0; i < 10; i++) {
        const res = await signIn(stack.url, 'lockout-probe', 'wrong-password', `198.51.100.${i + 1}`);
        expect([i, res.status]).toEqual([i, 401]);
      }
      const locked = await signIn(stack.url, 'lockout-probe', 'another-guess', '198.51.100.200');
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await problemType(locked)).toBe('urn:cityops:problem:too_many_attempts');
      // Another account is not locked from here.
      expect((await signIn(stack.url, 'nobody', 'wrong-password')).status).toBe(401);
    });

    it('with TRUSTED_PROXIES, counts the forwarded address: one client locked out, another behind the same proxy not', async () => {
      const config = { ...stack.config, trustedProxies: ['127.0.0.1'], rateLimits: limits };
      await withApi(config, async (url) => {
        for (let i = 0; i < 10; i++) expect((await signIn(url, 'proxied-user', 'wrong', '203.0.113.7')).status).toBe(401);
        expect((await signIn(url, 'proxied-user', 'wrong', '203.0.113.7')).status).toBe(429);
        // Spoofed hops in front of the client's own entry change nothing: the proxy appends the real one.
        expect((await signIn(url, 'proxied-user', 'wrong', '192.0.2.1, 203.0.113.7')).status).toBe(429);
        expect((await signIn(url, 'proxied-user', 'wrong', '203.0.113.8')).status).toBe(401);
      });
    });
  });

  describe('sign-in attempt limits', () => {
    it('limits attempts per address, right or wrong, with Retry-After; another address still gets through', async () => {
      const config = { ...stack.config, trustedProxies: ['127.0.0.1'], rateLimits: { ...stack.config.rateLimits, signInPerAddress: 3 } };
      await withApi(config, async (url) => {
        expect((await signIn(url, 'admin', TEST_SECRETS.ADMIN_PASSWORD, '203.0.113.20')).status).toBe(200);
        expect((await signIn(url, 'someone', 'wrong', '203.0.113.20')).status).toBe(401);
        expect((await signIn(url, 'someone-else', 'wrong', '203.0.113.20')).status).toBe(401);
        const limited = await signIn(url, 'admin', TEST_SECRETS.ADMIN_PASSWORD, '203.0.113.20');
        expect(limited.status).toBe(429);
        expect(limited.headers.get('content-type')).toContain('application/problem+json');
        const retryAfter = Number(limited.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(await limited.json()).toMatchObject({ type: 'urn:cityops:problem:rate_limited', status: 429 });
        expect((await signIn(url, 'admin', TEST_SECRETS.ADMIN_PASSWORD, '203.0.113.21')).status).toBe(200);
      });
    });

    it('limits attempts per account across addresses, which the per-address lockout alone would not', async () => {
      const config = { ...stack.config, trustedProxies: ['127.0.0.1'], rateLimits: { ...stack.config.rateLimits, signInPerUser: 3 } };
      await withApi(config, async (url) => {
        for (let i = 0; i < 3; i++) expect((await signIn(url, 'target-user', 'guess', `203.0.113.${30 + i}`)).status).toBe(401);
        const limited = await signIn(url, 'Target-User', 'guess', '203.0.113.40');
        expect(limited.status).toBe(429);
        expect(await problemType(limited)).toBe('urn:cityops:problem:rate_limited');
        expect((await signIn(url, 'other-user', 'guess', '203.0.113.40')).status).toBe(401);
      });
    });

    it('limits kiosk sign-ins per address', async () => {
      const config = { ...stack.config, rateLimits: { ...stack.config.rateLimits, signInPerAddress: 2 } };
      await withApi(config, async (url) => {
        const kiosk = () =>
          fetch(`${url}/api/auth/kiosk`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ token: TEST_SECRETS.KIOSK_TOKEN }),
          });
        expect((await kiosk()).status).toBe(200);
        expect((await kiosk()).status).toBe(200);
        const limited = await kiosk();
        expect(limited.status).toBe(429);
        expect(limited.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      });
    });
  });

  describe('/metrics and the health report', () => {
    const metricsToken = { authorization: `Bearer ${TEST_SECRETS.METRICS_TOKEN}` };

    it('tells the public only up or down', async () => {
      for (const headers of [{}, { authorization: 'Bearer not-the-metrics-token' }] as Record<string, string>[]) {
        const res = await fetch(`${stack.url}/api/health`, { headers });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'ok' });
      }
    });

    it('gives the report of each dependency to the metrics token', async () => {
      const res = await fetch(`${stack.url}/api/health`, { headers: metricsToken });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'ok',
        db: { ok: true, postgis: expect.stringMatching(/^3\./) },
        redis: { ok: true },
        queues: { ok: true },
      });
    });

    it('serves /metrics to the metrics token only: not without a token, nor to an admin access token', async () => {
      const admin = await login(stack.url);
      for (const headers of [{}, { authorization: `Bearer ${admin}` }] as Record<string, string>[]) {
        const res = await fetch(`${stack.url}/metrics`, { headers });
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect((await res.json()) as ProblemDetails).toMatchObject({ detail: expect.stringContaining('METRICS_TOKEN') });
      }
      const res = await fetch(`${stack.url}/metrics`, { headers: metricsToken });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('cityops_http_request_duration_seconds');
    });

    it('serves both without a token to METRICS_ALLOW addresses, judged on the client address after TRUSTED_PROXIES', async () => {
      await withApi({ ...stack.config, metrics: { token: undefined, allow: ['127.0.0.1'] } }, async (url) => {
        expect((await fetch(`${url}/metrics`)).status).toBe(200);
        expect(await (await fetch(`${url}/api/health`)).json()).toMatchObject({ db: { ok: true } });
      });
      const behindProxy = { ...stack.config, trustedProxies: ['127.0.0.1'], metrics: { token: undefined, allow: ['127.0.0.1'] } };
      await withApi(behindProxy, async (url) => {
        const outsider = { 'x-forwarded-for': '203.0.113.50' };
        expect((await fetch(`${url}/metrics`, { headers: outsider })).status).toBe(401);
        expect(await (await fetch(`${url}/api/health`, { headers: outsider })).json()).toEqual({ status: 'ok' });
      });
    });
  });
});
