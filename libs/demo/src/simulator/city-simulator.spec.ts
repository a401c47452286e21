import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../../../../test/support/eventually';
import { CITY_FEEDS } from '../city/city-feeds';
import { generateCitySites } from '../city/city-sites';
import { DEFAULT_DEMO_SEED } from '../seeded-random';
import { startCitySimulator } from './city-simulator';
import { demoFeedSecret } from './feed-keys';
import type { SimulatorLogger } from './feed-loop';

interface Post {
  url: string;
  authorization: string | undefined;
  records: { entity: string; metric: string; location: [number, number] }[];
}

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (_fields: object, message: string) => void lines.push({ level, message });
  const logger: SimulatorLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('startCitySimulator', () => {
  let server: Server;
  let url: string;
  let answer: (post: Post) => { status: number; body: object };
  const posts: Post[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const post = {
          url: req.url ?? '',
          authorization: req.headers.authorization,
          records: (JSON.parse(body) as { records: Post['records'] }).records,
        };
        posts.push(post);
        const { status, body: reply } = answer(post);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    posts.length = 0;
  });

  it('posts one round of every department feed at once, each to its own feed with its own derived key', async () => {
    answer = (post) => ({ status: 200, body: { accepted: post.records.length, duplicates: 0, rejected: 0, errors: [] } });
    const { logger, lines } = recordingLogger();
    const simulator = startCitySimulator({ apiUrl: url, simulatorToken: 'sim-token-0123456789', logger });
    await eventually(() => posts.length >= CITY_FEEDS.length, 10_000, 'one post per feed', 20);
    await simulator.stop();

    const sites = generateCitySites(DEFAULT_DEMO_SEED);
    for (const { feed, readings } of CITY_FEEDS) {
      const post = posts.find((p) => p.url === `/api/feeds/${feed.key}/records`);
      expect(post?.authorization).toBe(`Bearer ${demoFeedSecret('sim-token-0123456789', feed.key)}`);
      const siteCount = readings(sites, DEFAULT_DEMO_SEED, new Date()).length;
      expect(post?.records).toHaveLength(siteCount * feed.metrics.length);
      expect(new Set(post?.records.map((r) => r.metric))).toEqual(new Set(feed.metrics.map((m) => m.key)));
    }
    expect(simulator.recordsPerRound).toBe(posts.reduce((sum, p) => sum + p.records.length, 0));
    expect(lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  it('says which feed refused its key, once, and keeps the others going', async () => {
    answer = (post) =>
      post.url.includes('/metro-flow/')
        ? { status: 401, body: { title: 'Unauthorized' } }
        : { status: 200, body: { accepted: post.records.length, duplicates: 0, rejected: 0, errors: [] } };
    const { logger, lines } = recordingLogger();
    const simulator = startCitySimulator({ apiUrl: url, simulatorToken: 'sim-token-0123456789', logger });
    // The refusal is logged once its answer is read, which may be after the post arrived here.
    await eventually(
      () => posts.length >= CITY_FEEDS.length && lines.some((l) => l.level === 'error'),
      10_000,
      'one post per feed and the refusal logged',
      20,
    );
    await simulator.stop();
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('feed metro-flow');
    expect(errors[0].message).toContain('SIMULATOR_TOKEN');
    expect(JSON.stringify(lines)).not.toContain('sim-token-0123456789');
  });
});
